import Fluent
import SdelkaCore
import SQLKit

extension Importers {
    /// Kinds that resolve every reference they write against rows read inside their own
    /// transaction or written by it (managers, regions, access groups and channels by name,
    /// partners, counterparties and products by code, parents once the partners are in, the
    /// documents' line keys), so that a foreign-key check in the database could never fail.
    static let resolvingEveryReference: Set<String> = ["partners", "counterparties", "contact-persons", "sales"]

    /// Runs an import of `kind`, `feed` handing it the file, in its own transaction. On
    /// PostgreSQL, once the import has committed, the tables it loaded in bulk are vacuumed:
    /// until then every search read the new rows' commit status again and went past the dead
    /// versions of rewritten search documents — `q` right after importing 100,000 contact
    /// persons had a p99 of 71 ms against 25 ms once autovacuum came round a minute later.
    static func run(_ kind: String, on db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool, today: CalendarDate,
                    feed: @escaping @Sendable (BatchedCSVImport) async throws -> Void) async throws -> ImportReport {
        let (report, loaded) = try await transaction(for: kind, on: db) { tx in
            guard let importer = make(kind, db: tx, author: author, scope: scope, partial: partial, today: today) else {
                throw NotFound("import kind")
            }
            let report = try await importer.run { try await feed(importer) }
            return (report, importer.bulkLoadedTables)
        }
        for table in loaded { try await db.sql.raw("VACUUM \(ident: table)").run() }
        return report
    }

    /// Runs an import of `kind` in one transaction.
    ///
    /// On SQLite the transaction holds one connection and sets two of its pragmas for the
    /// import, putting them back whatever happens:
    /// - `temp_store = FILE`: the sorts (indexes built at the end, totals) and statement
    ///   journals of a bulk load go to temporary files. In memory they grew with the file:
    ///   300,000 partners peaked at 146 MB against 117, their 450,000 counterparties at 214 MB
    ///   against 180, in the same time.
    /// - `foreign_keys = OFF` for the kinds above: the check is an index search per reference,
    ///   and it took more than half of the database's time on 2,000,000 sale lines (5.1 s
    ///   against 2.2 for the lines, 3.4 against 1.3 for the documents). The references stay
    ///   sound: the import holds the write lock from its first statement (`writeTransaction`),
    ///   so no other connection commits while it runs and nothing it resolved can change
    ///   under it.
    private static func transaction<T: Sendable>(for kind: String, on db: any Database,
                                                 _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard db.sql.dialect.name == "sqlite" else { return try await db.writeTransaction(body) }
        // The turn first, then the connection: a writer holding the turn may be waiting for it.
        return try await db.takingSQLiteWriteTurn { try await db.withConnection { connection in
            let sql = connection.sql
            var restore: [SQLQueryString] = []
            let tempStore = try await pragma("temp_store", on: sql)
            if tempStore != 1 {
                try await sql.raw("PRAGMA temp_store = FILE").run()
                restore.append("PRAGMA temp_store = \(unsafeRaw: String(tempStore))")
            }
            if resolvingEveryReference.contains(kind), try await pragma("foreign_keys", on: sql) == 1 {
                try await sql.raw("PRAGMA foreign_keys = OFF").run()
                restore.append("PRAGMA foreign_keys = ON")
            }
            do {
                let result = try await connection.transaction { tx in
                    try await tx.takeSQLiteWriteLock()
                    return try await body(tx)
                }
                for statement in restore { try await sql.raw(statement).run() }
                return result
            } catch {
                for statement in restore { try? await sql.raw(statement).run() }
                throw error
            }
        } }
    }

    private static func pragma(_ name: String, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("PRAGMA \(unsafeRaw: name)").first()?.decode(column: name, as: Int.self) ?? 0
    }
}
