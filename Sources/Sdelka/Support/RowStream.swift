import Foundation
import SQLiteKit
import SQLKit

/// What `StreamRow.collect` gathers: filled by the driver's thread, one row after another.
private final class Collected<T>: @unchecked Sendable { var all: [T] = [] }

/// Rows handed one by one to a closure, for reads of a hundred thousand rows where decoding
/// each through `Codable` would cost more than the query: on SQLite straight from the driver,
/// elsewhere through `SQLRow`. Columns are read by name, as the query aliases them.
struct StreamRow {
    private enum Storage { case sqlite(SQLiteRow), other(any SQLRow) }
    private let storage: Storage

    func int64(_ name: String) -> Int64? {
        switch storage {
        case .sqlite(let row):
            guard let value = row.column(name)?.integer else { return nil }
            return Int64(value)
        case .other(let row):
            return (try? row.decode(column: name, as: Int64?.self)) ?? nil
        }
    }

    func string(_ name: String) -> String? {
        switch storage {
        case .sqlite(let row): return row.column(name)?.string
        case .other(let row): return (try? row.decode(column: name, as: String?.self)) ?? nil
        }
    }

    /// A UUID column: text on SQLite, `uuid` on PostgreSQL.
    func uuid(_ name: String) -> UUID? {
        switch storage {
        case .sqlite(let row): return row.column(name)?.string.flatMap { UUID(text: $0) }
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
}
