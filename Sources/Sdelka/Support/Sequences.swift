import Fluent
import SQLKit
import Vapor

/// Document numbers: `UPDATE … RETURNING` takes the next value in the writer's transaction,
/// so two concurrent creations never share one.
enum Sequences {
    static func next(_ name: String, on db: any Database) async throws -> Int {
        try await reserve(name, count: 1, on: db)
    }

    /// Takes `count` values at once and answers the first; a bulk writer numbers many rows
    /// with one statement.
    static func reserve(_ name: String, count: Int, on db: any Database) async throws -> Int {
        struct Next: Decodable { var value: Int }
        let last = try await db.sql.raw("UPDATE sequences SET value = value + \(bind: count) WHERE name = \(bind: name) RETURNING value")
            .first(decoding: Next.self)
        guard let last else { throw APIError(status: .internalServerError, code: "sequence_missing", message: "The \(name) sequence is missing.") }
        return last.value - count + 1
    }
}
