import Fluent

struct M010CreateChannelsAndInterest: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("channels")
            .recordFields()
            .field("name", .string, .required)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.schema("primary_interests")
            .id()
            .field("created_at", .datetime)
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("deal_id", .uuid)
            .field("channel_id", .uuid, .required, .references("channels", "id"))
            .field("event_id", .uuid)
            .field("referrer_partner_id", .uuid, .references("partners", "id"))
            .field("note", .string)
            .create()
        try await database.createIndex("primary_interests_partner", on: "primary_interests", "partner_id")
        try await database.createIndex("primary_interests_channel", on: "primary_interests", "channel_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("primary_interests").delete()
        try await database.schema("channels").delete()
    }
}
