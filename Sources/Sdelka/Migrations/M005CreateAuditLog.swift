import Fluent

struct M005CreateAuditLog: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("audit_log")
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("user_login", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string, .required)
            .field("changes", .string, .required)
            .create()
        // The filters of GET /api/v1/audit and the object card's history tab.
        try await database.createIndex("audit_log_object", on: "audit_log", "object_type", "object_id", "at")
        try await database.createIndex("audit_log_user", on: "audit_log", "user_id", "at")
        try await database.createIndex("audit_log_at", on: "audit_log", "at")
    }

    func revert(on database: Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
