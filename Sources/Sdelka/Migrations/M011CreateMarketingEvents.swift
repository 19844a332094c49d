import Fluent

struct M011CreateMarketingEvents: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("marketing_events")
            .recordFields()
            .field("name", .string, .required)
            .field("kind", .string)
            .field("channel_id", .uuid, .references("channels", "id"))
            .field("planned_start", .string, .required)
            .field("planned_end", .string, .required)
            .field("actual_start", .string)
            .field("actual_end", .string)
            .field("responsible_id", .uuid, .references("users", "id"))
            .field("target_segment_id", .uuid)
            .field("finished", .bool, .required)
            .field("budget_cents", .int64)
            .field("actual_cost_cents", .int64)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        for column in ["planned_start", "channel_id", "responsible_id"] {
            try await database.createIndex("marketing_events_\(column)", on: "marketing_events", column)
        }
        try await database.schema("marketing_event_participants")
            .id()
            .field("event_id", .uuid, .required, .references("marketing_events", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("contact_person_id", .uuid, .references("contact_persons", "id"))
            .field("role", .string)
            .field("invited", .bool, .required)
            .field("attended", .bool, .required)
            .create()
        try await database.createIndex("marketing_event_participants_event", on: "marketing_event_participants", "event_id")
        try await database.createIndex("marketing_event_participants_partner", on: "marketing_event_participants", "partner_id")
        try await database.createIndex("primary_interests_event", on: "primary_interests", "event_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("marketing_event_participants").delete()
        try await database.schema("marketing_events").delete()
    }
}

struct M012CreatePartnerLinks: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("partner_link_kinds")
            .recordFields()
            .field("name", .string, .required)
            .field("reverse_name", .string)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.schema("partner_links")
            .recordFields()
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("linked_partner_id", .uuid, .required, .references("partners", "id"))
            .field("kind_id", .uuid, .required, .references("partner_link_kinds", "id"))
            .field("comment", .string)
            .create()
        try await database.createIndex("partner_links_partner", on: "partner_links", "partner_id")
        try await database.createIndex("partner_links_linked", on: "partner_links", "linked_partner_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("partner_links").delete()
        try await database.schema("partner_link_kinds").delete()
    }
}
