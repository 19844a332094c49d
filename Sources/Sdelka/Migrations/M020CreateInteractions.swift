import Fluent
import SQLKit

/// The interactions journal (DOMAIN.md §3): one table for the five kinds (kind-specific
/// columns empty where they do not apply), participants, the chain figures of each subject,
/// and SMS recipients. `occurred_at` is the one time the journal sorts and filters by (a
/// meeting's start, a planned contact's date, else when it was registered); `partner_id` is
/// the partner the interaction belongs to (its first partner participant), which is what the
/// access rule and the partner timeline read.
struct M020CreateInteractions: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("interactions")
            .recordFields()
            .field("type", .string, .required)
            .field("topic", .string, .required)
            .field("description", .string)
            .field("importance", .string, .required)
            .field("responsible_id", .uuid, .references("users", "id"))
            .field("author_id", .uuid, .references("users", "id"))
            .field("basis_id", .uuid)
            .field("subject_type", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("partner_id", .uuid, .references("partners", "id"))
            .field("reviewed", .bool, .required)
            .field("review_after", .string)
            .field("occurred_at", .datetime, .required)
            .field("start_at", .datetime)
            .field("end_at", .datetime)
            .field("place", .string)
            .field("planned_at", .datetime)
            .field("incoming", .bool)
            .field("phone", .string)
            .field("duration_seconds", .int)
            .field("mail_from", .string)
            .field("mail_to", .string)
            .field("mail_cc", .string)
            .field("body_text", .string)
            .field("body_html", .string)
            .field("status", .string)
            .field("sent_at", .datetime)
            .field("error", .string)
            .field("sms_text", .string)
            .field("transliterate", .bool)
            .field("send_at", .datetime)
            .field("valid_until", .datetime)
            .field("search_text", .string, .required)
            .create()
        // The workplace: a responsible's unreviewed ones newest first, and their count (also of
        // those due for review), from the index alone, without visiting the wide rows.
        try await database.createIndex("interactions_responsible", on: "interactions", "responsible_id", "reviewed", "deletion_mark",
                                       "occurred_at", "review_after")
        try await database.createIndex("interactions_review", on: "interactions", "reviewed", "deletion_mark", "review_after")
        try await database.createIndex("interactions_occurred", on: "interactions", "occurred_at")
        try await database.createIndex("interactions_subject", on: "interactions", "subject_type", "subject_id")
        try await database.createIndex("interactions_partner", on: "interactions", "partner_id", "occurred_at")
        try await database.createIndex("interactions_type", on: "interactions", "type", "occurred_at")
        try await database.schema("interaction_participants")
            .id()
            .field("interaction_id", .uuid, .required, .references("interactions", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("partner_id", .uuid, .references("partners", "id"))
            .field("contact_person_id", .uuid, .references("contact_persons", "id"))
            .field("user_id", .uuid, .references("users", "id"))
            .field("name", .string)
            .field("address", .string)
            .create()
        try await database.createIndex("interaction_participants_interaction", on: "interaction_participants", "interaction_id")
        try await database.createIndex("interaction_participants_partner", on: "interaction_participants", "partner_id")
        try await database.createIndex("interaction_participants_person", on: "interaction_participants", "contact_person_id")
        try await database.schema("interaction_subjects")
            .field("subject_type", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("unreviewed", .int, .required)
            .field("last_at", .datetime)
            .unique(on: "subject_type", "subject_id")
            .create()
        try await database.schema("sms_recipients")
            .id()
            .field("interaction_id", .uuid, .required, .references("interactions", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("phone", .string, .required)
            .field("state", .string, .required)
            .field("error", .string)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("sent_at", .datetime)
            .create()
        try await database.createIndex("sms_recipients_interaction", on: "sms_recipients", "interaction_id")
        // The sender's queue: recipients waiting, by when they are due.
        try await database.createIndex("sms_recipients_queue", on: "sms_recipients", "state", "next_attempt_at")
    }

    func revert(on database: Database) async throws {
        for table in ["sms_recipients", "interaction_subjects", "interaction_participants", "interactions"] {
            try await database.schema(table).delete()
        }
    }
}
