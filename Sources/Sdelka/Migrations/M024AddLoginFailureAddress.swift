import Fluent
import SQLKit

/// Login attempts also remember the client's address, so that one address guessing many
/// logins is stopped as one login guessed from many places is.
struct M024AddLoginFailureAddress: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("login_failures").field("client_address", .string).update()
        try await database.createIndex("login_failures_address", on: "login_failures", "client_address", "at")
    }

    func revert(on database: Database) async throws {
        try await database.sql.drop(index: "login_failures_address").run()
        try await database.schema("login_failures").deleteField("client_address").update()
    }
}
