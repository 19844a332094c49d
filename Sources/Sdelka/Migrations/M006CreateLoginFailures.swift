import Fluent

struct M006CreateLoginFailures: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("login_failures")
            .id()
            .field("login_key", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.createIndex("login_failures_login", on: "login_failures", "login_key", "at")
    }

    func revert(on database: Database) async throws {
        try await database.schema("login_failures").delete()
    }
}
