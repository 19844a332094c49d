import Fluent

struct M001CreateUsers: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("users")
            .recordFields()
            .field("login", .string, .required)
            .field("login_key", .string, .required)
            .field("name", .string, .required)
            .field("search_text", .string, .required)
            .field("email", .string)
            .field("role", .string, .required)
            .field("language", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .unique(on: "login_key")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("users").delete()
    }
}
