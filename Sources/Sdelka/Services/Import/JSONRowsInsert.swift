import Foundation
import SQLKit

/// Many rows in one statement with one bound value: the rows travel as a JSON array of arrays
/// and the database unpacks them (`json_each` on SQLite, `json_array_elements` on
/// PostgreSQL). Binding every cell of a large multi-row VALUES costs more in the drivers than
/// the insert itself; one JSON text costs almost nothing.
struct JSONRowsInsert: Sendable {
    enum Kind: Sendable { case uuid, text, int, bool, json }

    enum Cell: Sendable {
        case null
        case text(String)
        case int(Int)
        case bool(Bool)
        /// JSON text placed as it is (a column of JSON, such as the audit's changes).
        case raw(String)
    }

    struct Conflict: Sendable {
        var target: [String]
        var update: [String]
        var bumpVersion = true
    }

    let table: String
    /// The columns each row carries, in order.
    let columns: [(name: String, kind: Kind)]
    /// Columns with one value for every row (timestamps, the author).
    var constants: [(name: String, value: any Encodable & Sendable)] = []
    var conflict: Conflict?

    func run(_ rows: [[Cell]], on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let sqlite = db.dialect.name == "sqlite"
        var sql = SQLQueryString("INSERT INTO \(ident: table) (")
        let names = columns.map(\.name) + constants.map(\.name)
        sql.appendInterpolation(raw: names.map { "\"\($0)\"" }.joined(separator: ", "))
        sql.appendInterpolation(raw: ") SELECT ")
        for (index, column) in columns.enumerated() {
            if index > 0 { sql.appendInterpolation(raw: ", ") }
            sql.appendInterpolation(raw: sqlite ? Self.sqliteCell(index, column.kind) : Self.postgresCell(index, column.kind))
        }
        for constant in constants {
            sql.appendInterpolation(raw: ", ")
            sql.appendInterpolation(bind: constant.value)
        }
        sql.appendInterpolation(raw: sqlite ? " FROM json_each(" : " FROM json_array_elements(")
        sql.appendInterpolation(bind: Self.encode(rows))
        sql.appendInterpolation(raw: sqlite ? ") WHERE true" : "::json) AS rows(value)")
        if let conflict {
            sql.appendInterpolation(raw: " ON CONFLICT (" + conflict.target.map { "\"\($0)\"" }.joined(separator: ", ") + ") DO UPDATE SET ")
            var sets = conflict.update.map { "\"\($0)\" = excluded.\"\($0)\"" }
            if conflict.bumpVersion { sets.append("\"version\" = \"\(table)\".\"version\" + 1") }
            sql.appendInterpolation(raw: sets.joined(separator: ", "))
        }
        try await db.raw(sql).run()
    }

    private static func sqliteCell(_ index: Int, _ kind: Kind) -> String {
        kind == .json ? "value -> \(index)" : "value ->> \(index)"
    }

    private static func postgresCell(_ index: Int, _ kind: Kind) -> String {
        switch kind {
        case .uuid: return "(value ->> \(index))::uuid"
        case .text: return "(value ->> \(index))"
        case .int: return "(value ->> \(index))::bigint"
        case .bool: return "(value ->> \(index))::boolean"
        case .json: return "(value -> \(index))::text"
        }
    }

    /// The rows as a JSON array of arrays, written by hand: this runs for every imported row.
    static func encode(_ rows: [[Cell]]) -> String {
        var out = "["
        out.reserveCapacity(rows.count * 128)
        for (r, row) in rows.enumerated() {
            if r > 0 { out.append(",") }
            out.append("[")
            for (c, cell) in row.enumerated() {
                if c > 0 { out.append(",") }
                switch cell {
                case .null: out.append("null")
                case .int(let value): out.append(String(value))
                case .bool(let value): out.append(value ? "true" : "false")
                case .raw(let json): out.append(json)
                case .text(let text): appendString(text, to: &out)
                }
            }
            out.append("]")
        }
        out.append("]")
        return out
    }

    static func appendString(_ text: String, to out: inout String) {
        out.append("\"")
        var plain = true
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C { plain = false; break }
        if plain {
            out.append(text)
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out.append("\\\"")
                case "\\": out.append("\\\\")
                case "\n": out.append("\\n")
                case "\r": out.append("\\r")
                case "\t": out.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out.append("\"")
    }
}

extension JSONRowsInsert.Cell {
    static func uuid(_ id: UUID) -> Self { .text(id.uuidString) }
    static func uuid(_ id: UUID?) -> Self { id.map { .text($0.uuidString) } ?? .null }
    static func text(_ value: String?) -> Self { value.map { .text($0) } ?? .null }
}
