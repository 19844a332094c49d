import Foundation
import SdelkaCore
import SQLKit

/// Many rows in one statement with one bound value: the rows travel as a JSON array of arrays
/// and the database unpacks them (`jsonb_each` on SQLite — its rows come as binary JSON, so
/// that each cell is read without parsing the row's text again — and `jsonb_array_elements` on
/// PostgreSQL, for the same reason: with `json` every `->>` parses its row again, which made
/// inserting 10,000 rows of 15 cells 3.5 times slower, 232 ms against 64). Binding every cell
/// of a large multi-row VALUES costs more in the drivers than the insert itself; one JSON text
/// costs almost nothing.
struct JSONRowsInsert: Sendable {
    /// `timestamp` cells carry Unix seconds: what Fluent stores for a `Date` on SQLite, and
    /// turned into `timestamptz` on PostgreSQL.
    enum Kind: Sendable { case uuid, text, int, real, bool, timestamp }

    enum Cell: Sendable {
        case null
        case text(String)
        case int(Int)
        case real(Double)
        case bool(Bool)
        case timestamp(Date)
    }

    struct Conflict: Sendable {
        var target: [String]
        var update: [String]
        var bumpVersion = true
        /// Columns that add the new row's value to the stored one (counters).
        var accumulate: [String] = []
        // With nothing to set, a row whose key is stored is left out (`DO NOTHING`).
    }

    let table: String
    /// The columns each row carries, in order.
    let columns: [(name: String, kind: Kind)]
    /// Columns with one value for every row (timestamps, the author).
    var constants: [(name: String, value: any Encodable & Sendable)] = []
    var conflict: Conflict?

    func run(_ rows: [[Cell]], on db: any SQLDatabase) async throws {
        guard let statement = statement(rows, for: db) else { return }
        try await db.raw(statement).run()
    }

    /// The statement that inserts `rows`, built without touching the database (imports build
    /// the next batch's statements while the database runs this batch's); nil for no rows.
    func statement(_ rows: [[Cell]], for db: any SQLDatabase) -> SQLQueryString? {
        guard !rows.isEmpty else { return nil }
        return statement(json: Self.encode(rows), for: db)
    }

    /// The statement for rows already written as a JSON array of arrays (the hottest imports
    /// write their rows straight into a `JSONWriter`).
    func statement(json: String, for db: any SQLDatabase) -> SQLQueryString {
        let sqlite = db.dialect.name == "sqlite"
        var sql = SQLQueryString("INSERT INTO \(ident: table) (")
        let names = columns.map(\.name) + constants.map(\.name)
        sql.appendInterpolation(raw: names.map { "\"\($0)\"" }.joined(separator: ", "))
        sql.appendInterpolation(raw: ") SELECT ")
        for (index, column) in columns.enumerated() {
            if index > 0 { sql.appendInterpolation(raw: ", ") }
            sql.appendInterpolation(raw: sqlite ? "value ->> \(index)" : Self.postgresCell(index, column.kind))
        }
        for constant in constants {
            sql.appendInterpolation(raw: ", ")
            sql.appendInterpolation(bind: constant.value)
        }
        sql.appendInterpolation(raw: sqlite ? " FROM jsonb_each(" : " FROM jsonb_array_elements(")
        sql.appendInterpolation(bind: json)
        sql.appendInterpolation(raw: sqlite ? ") WHERE true" : "::jsonb) AS rows(value)")
        if let conflict {
            sql.appendInterpolation(raw: " ON CONFLICT (" + conflict.target.map { "\"\($0)\"" }.joined(separator: ", ") + ") ")
            var sets = conflict.update.map { "\"\($0)\" = excluded.\"\($0)\"" }
            sets += conflict.accumulate.map { "\"\($0)\" = \"\(table)\".\"\($0)\" + excluded.\"\($0)\"" }
            if conflict.bumpVersion { sets.append("\"version\" = \"\(table)\".\"version\" + 1") }
            sql.appendInterpolation(raw: sets.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + sets.joined(separator: ", "))
        }
        return sql
    }

    private static func postgresCell(_ index: Int, _ kind: Kind) -> String {
        switch kind {
        case .uuid: return "(value ->> \(index))::uuid"
        case .text: return "(value ->> \(index))"
        case .int: return "(value ->> \(index))::bigint"
        case .real: return "(value ->> \(index))::double precision"
        case .bool: return "(value ->> \(index))::boolean"
        case .timestamp: return "to_timestamp((value ->> \(index))::double precision)"
        }
    }

    /// The rows as a JSON array of arrays, written by hand: this runs for every imported row.
    static func encode(_ rows: [[Cell]]) -> String {
        var out = JSONWriter(capacity: rows.count * 160)
        out.raw("[")
        for (r, row) in rows.enumerated() {
            if r > 0 { out.raw(",") }
            out.raw("[")
            for (c, cell) in row.enumerated() {
                if c > 0 { out.raw(",") }
                switch cell {
                case .null: out.raw("null")
                case .int(let value): out.integer(Int64(value))
                case .real(let value): out.raw(value.isFinite ? String(value) : "null")
                case .bool(let value): out.raw(value ? "true" : "false")
                case .timestamp(let date): out.raw(String(date.timeIntervalSince1970))
                case .text(let text): out.string(text)
                }
            }
            out.raw("]")
        }
        out.raw("]")
        return out.text
    }
}

extension JSONRowsInsert.Cell {
    static func uuid(_ id: UUID) -> Self { .text(id.text) }
    static func uuid(_ id: UUID?) -> Self { id.map { .text($0.text) } ?? .null }
    static func text(_ value: String?) -> Self { value.map { .text($0) } ?? .null }
}
