import Fluent
import SQLKit

/// What real e-mail needs on top of the journal: the letter's `Message-ID` and `References`
/// (so that replies thread into their chain), the sender's attempts and when to try next,
/// and attachments kept in the database with the letter.
struct M021AddMailDelivery: AsyncMigration {
    func prepare(on database: Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        try await database.schema("interactions").field("message_id", .string).update()
        try await database.schema("interactions").field("mail_references", .string).update()
        try await database.schema("interactions").field("mail_attempts", .int, .required, .sql(.default(0))).update()
        try await database.schema("interactions").field("mail_next_attempt_at", .datetime).update()
        try await database.createIndex("interactions_message_id", on: "interactions", "message_id")
        // The sender's queue: letters waiting, by when they are due.
        try await database.createIndex("interactions_mail_queue", on: "interactions", "status", "mail_next_attempt_at")
        try await database.schema("interaction_attachments")
            .id()
            .field("interaction_id", .uuid, .required, .references("interactions", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .create()
        try await database.createIndex("interaction_attachments_interaction", on: "interaction_attachments", "interaction_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("interaction_attachments").delete()
        // SQLite refuses to drop a column an index names.
        for index in ["interactions_mail_queue", "interactions_message_id"] {
            try await database.sql.drop(index: index).run()
        }
        for column in ["mail_next_attempt_at", "mail_attempts", "mail_references", "message_id"] {
            try await database.schema("interactions").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
