import Foundation
import PostgresKit
import SQLiteKit
import SQLKit

/// What `StreamRow.collect` gathers: filled by the driver's thread, one row after another.
private final class Collected<T>: @unchecked Sendable { var all: [T] = [] }

/// Rows handed one by one to a closure, for reads of a hundred thousand rows where decoding
/// each through `Codable` would cost more than the query: straight from the driver on SQLite
/// and PostgreSQL. PostgresKit's `SQLRow` builds a coding-path string for every cell it
/// decodes, which made reading 90,000 rows of four columns take 550 ms on top of the query's
/// 350. Columns are read by name, as the query aliases them.
struct StreamRow {
    private enum Storage { case sqlite(SQLiteRow), postgres(PostgresRandomAccessRow), other(any SQLRow) }
    private let storage: Storage

    private func postgresCell(_ row: PostgresRandomAccessRow, _ name: String) -> PostgresCell? {
        guard row.contains(name) else { return nil }
        let cell = row[name]
        return cell.bytes == nil ? nil : cell
    }

    func int64(_ name: String) -> Int64? {
        switch storage {
        case .sqlite(let row):
            guard let value = row.column(name)?.integer else { return nil }
            return Int64(value)
        case .postgres(let row):
            return postgresCell(row, name).flatMap { try? $0.decode(Int64.self) }
        case .other(let row):
            return (try? row.decode(column: name, as: Int64?.self)) ?? nil
        }
    }

    func string(_ name: String) -> String? {
        switch storage {
        case .sqlite(let row): return row.column(name)?.string
        case .postgres(let row): return postgresCell(row, name).flatMap { try? $0.decode(String.self) }
        case .other(let row): return (try? row.decode(column: name, as: String?.self)) ?? nil
        }
    }

    /// A `bytea` (PostgreSQL) or blob (SQLite) column's bytes.
    func bytes(_ name: String) -> ByteBuffer? {
        switch storage {
        case .sqlite(let row): return row.column(name)?.blob
        case .postgres(let row): return postgresCell(row, name)?.bytes
        case .other(let row): return (try? row.decode(column: name, as: Data?.self))?.map { ByteBuffer(bytes: $0) }
        }
    }

    /// A UUID column: text on SQLite, `uuid` on PostgreSQL.
    func uuid(_ name: String) -> UUID? {
        switch storage {
        case .sqlite(let row): return row.column(name)?.string.flatMap { UUID(text: $0) }
        case .postgres(let row): return postgresCell(row, name).flatMap { try? $0.decode(UUID.self) }
        case .other(let row): return (try? row.decode(column: name, as: UUID?.self)) ?? nil
        }
    }

    /// Every row that `transform` turns into a value, in the query's order.
    static func collect<T>(_ db: any SQLDatabase, _ query: SQLQueryString,
                           _ transform: @escaping @Sendable (StreamRow) -> T?) async throws -> [T] {
        let values = Collected<T>()
        try await each(db, query) { row in if let value = transform(row) { values.all.append(value) } }
        return values.all
    }

    static func each(_ db: any SQLDatabase, _ query: SQLQueryString, _ body: @escaping @Sendable (StreamRow) -> Void) async throws {
        if let postgres = db as? any PostgresDatabase, let query = try postgresQuery(query, db) {
            _ = try await postgres.withConnection { connection in
                connection.query(query, logger: connection.logger) { body(StreamRow(storage: .postgres($0.makeRandomAccess()))) }
            }.get()
            return
        }
        guard let sqlite = db as? any SQLiteDatabase else {
            try await db.raw(query).run { body(StreamRow(storage: .other($0))) }
            return
        }
        var serializer = SQLSerializer(database: db)
        query.serialize(to: &serializer)
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        let text = serializer.sql
        // The connection's own async query calls `body` on the thread that steps the statement;
        // the database's goes through the event loop once per row.
        try await sqlite.withConnection { connection in
            try await connection.query(text, binds) { body(StreamRow(storage: .sqlite($0))) }
        }
    }

    /// The query with its values bound the way PostgresKit binds them; nil when a value is not
    /// one of PostgresNIO's own types, for PostgresKit's `Codable` path to take.
    private static func postgresQuery(_ query: SQLQueryString, _ db: any SQLDatabase) throws -> PostgresQuery? {
        var serializer = SQLSerializer(database: db)
        query.serialize(to: &serializer)
        var bindings = PostgresBindings(capacity: serializer.binds.count)
        func bind<T: Encodable>(_ value: T) throws -> Bool {
            if (value as Optional<Any>) == nil {
                bindings.appendNull()
            } else if let value = value as? any PostgresThrowingDynamicTypeEncodable {
                try bindings.append(value, context: .default)
            } else {
                return false
            }
            return true
        }
        for value in serializer.binds where try !bind(value) { return nil }
        return PostgresQuery(unsafeSQL: serializer.sql, binds: bindings)
    }
}

/// A UUID column read from SQLite's text without the C library's `sscanf` that
/// `UUID(uuidString:)` uses on Linux (a report of 50,000 rows spent a fifth of its time there);
/// PostgreSQL's binary uuid is read as it is.
struct FastUUID: Decodable, Sendable {
    let value: UUID

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let parsed = UUID(text: text) { value = parsed }
        else { value = try container.decode(UUID.self) }
    }
}
