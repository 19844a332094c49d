import Fluent
import SQLKit

/// Login throttling counts failures per key (a login, a client address) in one row each,
/// counted and recorded by one statement; the row-per-failure table it replaces was counted
/// and then written, which a parallel burst slipped through.
struct M024CreateLoginAttempts: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("login_attempts")
            .field("key", .string, .identifier(auto: false))
            .field("window_start", .datetime, .required)
            .field("failures", .int, .required)
            .create()
        try await database.schema("login_failures").delete()
    }

    func revert(on database: Database) async throws {
        try await M006CreateLoginFailures().prepare(on: database)
        try await database.schema("login_attempts").delete()
    }
}
