import SdelkaCore
import SQLKit

/// The keys an import file must not repeat (codes, INN and KPP pairs, a partner's people,
/// the numbers of sales documents, whose rows must be together),
/// remembered in the same memory whatever the file's size: a fixed Bloom filter (`KeyFilter`,
/// 8 MB) tells most keys apart at once, and a temporary table of every key with its line,
/// written along with each batch, answers exactly for the few the filter may have seen. In
/// dictionaries the keys had grown with the file: 300,000 partners' 450,000 counterparties
/// took 50 MB of them.
///
/// The table lives in the import's transaction: dropped at its commit on PostgreSQL, by
/// `drop` on SQLite, and with a rollback on both.
final class SeenKeys: @unchecked Sendable {
    enum Space: Int { case code = 1, innKPP, partner, person, document }

    struct Key: Hashable {
        var space: Space
        var text: String
    }

    static let table = "sdelka_import_keys"
    static let filterBits = 1 << 26

    /// Made at the first key, so that imports that keep none (sales) do not pay its 8 MB. An
    /// optional changed in place: a `lazy var` is got and set again, which copied all 8 MB at
    /// every key.
    private var filter: KeyFilter?
    private let filterBits: Int
    /// Keys added since the last `statements`: not in the table yet.
    private var unwritten: [Key: Int] = [:]
    private var tableCreated = false

    var hasUnwritten: Bool { !unwritten.isEmpty }

    /// A smaller filter only makes more keys suspects: the answers stay exact.
    init(filterBits: Int = SeenKeys.filterBits) {
        self.filterBits = filterBits
    }

    /// For each key with its line, in order: the line that had the same key first (earlier in
    /// the file, or earlier in `keys`), or nil for a key met for the first time, which is now
    /// remembered. `settle` is called before the table is read, so that every earlier batch's
    /// keys are in it.
    func firstLines(_ keys: [(key: Key, line: Int)], on sql: any SQLDatabase,
                    settle: () async throws -> Void) async throws -> [Int?] {
        guard !keys.isEmpty else { return [] }
        if filter == nil { filter = KeyFilter(bits: filterBits) }
        let hashes = keys.map { KeyFilter.hash(space: $0.key.space.rawValue, $0.key.text) }
        let suspects = Set(keys.indices.filter { filter!.mayContain(hashes[$0]) }.map { keys[$0].key })
        var stored: [Key: Int] = [:]
        if !suspects.isEmpty {
            try await settle()
            stored = try await lines(of: Array(suspects), on: sql)
        }
        return keys.indices.map { index in
            let key = keys[index].key
            if let first = stored[key] ?? unwritten[key] { return first }
            filter!.insert(hashes[index])
            unwritten[key] = keys[index].line
            return nil
        }
    }

    /// The lines where these keys were first met, from the keys written so far and those not
    /// yet written.
    func lines(of keys: [Key], on sql: any SQLDatabase) async throws -> [Key: Int] {
        var found: [Key: Int] = [:]
        for key in keys { if let line = unwritten[key] { found[key] = line } }
        guard tableCreated else { return found }
        struct Row: Decodable { var space: Int; var key: String; var line: Int }
        for (space, group) in Dictionary(grouping: keys.filter { found[$0] == nil }, by: \.space) {
            for slice in group.chunks(of: BatchedCSVImport.batchSize) {
                let rows = try await sql.select().columns("space", "key", "line").from(Self.table)
                    .where("space", .equal, SQLBind(space.rawValue)).where("key", .in, SQLBind.group(slice.map(\.text)))
                    .all(decoding: Row.self)
                for row in rows { found[Key(space: space, text: row.key)] = row.line }
            }
        }
        return found
    }

    /// What writes the keys met since the last call (the first time, after creating the table):
    /// to run with the batch's own writes, whether or not those are skipped.
    func statements(for sql: any SQLDatabase) -> [SQLQueryString] {
        guard !unwritten.isEmpty else { return [] }
        var statements: [SQLQueryString] = []
        if !tableCreated {
            tableCreated = true
            statements.append(sql.dialect.name == "postgresql"
                ? "CREATE TEMPORARY TABLE \(ident: Self.table) (space integer NOT NULL, key text NOT NULL, line integer NOT NULL, PRIMARY KEY (space, key)) ON COMMIT DROP"
                : "CREATE TEMPORARY TABLE \(ident: Self.table) (space INTEGER NOT NULL, key TEXT NOT NULL, line INTEGER NOT NULL, PRIMARY KEY (space, key)) WITHOUT ROWID")
        }
        var insert = JSONRowsInsert(table: Self.table, columns: [("space", .int), ("key", .text), ("line", .int)])
        insert.conflict = .init(target: ["space", "key"], update: [], bumpVersion: false)
        if let statement = insert.statement(unwritten.map { [.int($0.key.space.rawValue), .text($0.key.text), .int($0.value)] }, for: sql) {
            statements.append(statement)
        }
        unwritten.removeAll(keepingCapacity: true)
        return statements
    }

    /// At the end of a SQLite import (PostgreSQL drops the table at commit).
    func drop(on sql: any SQLDatabase) async throws {
        guard tableCreated, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("DROP TABLE temp.\(ident: Self.table)").run()
        tableCreated = false
    }
}
