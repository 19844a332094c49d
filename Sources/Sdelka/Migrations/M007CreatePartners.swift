import Fluent

struct M007CreatePartners: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("partners")
            .recordFields()
            .field("code", .string)
            .field("name", .string, .required)
            .field("full_name", .string, .required)
            .field("kind", .string, .required)
            .field("is_client", .bool, .required)
            .field("is_supplier", .bool, .required)
            .field("is_competitor", .bool, .required)
            .field("is_other", .bool, .required)
            .field("registered_on", .string)
            .field("gender", .string)
            .field("birth_date", .string)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .field("name_key", .string, .required)
            .field("parent_id", .uuid, .references("partners", "id"))
            .field("main_manager_id", .uuid, .references("users", "id"))
            .field("business_region_id", .uuid, .references("business_regions", "id"))
            .field("access_group_id", .uuid, .references("access_groups", "id"))
            .unique(on: "code")
            .create()
        // Every filter of the partner list, and the access rule, has an index.
        for column in ["access_group_id", "main_manager_id", "business_region_id", "parent_id", "name_key", "name"] {
            try await database.createIndex("partners_\(column)", on: "partners", column)
        }
        try await database.schema("contact_details")
            .id()
            .field("owner_type", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("partner_id", .uuid, .required, .references("partners", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("type", .string, .required)
            .field("kind", .string, .required)
            .field("value", .string, .required)
            .field("normalized", .string, .required)
            .field("valid_from", .string)
            .create()
        try await database.createIndex("contact_details_owner", on: "contact_details", "owner_type", "owner_id")
        try await database.createIndex("contact_details_normalized", on: "contact_details", "normalized")
        try await database.createIndex("contact_details_partner", on: "contact_details", "partner_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("contact_details").delete()
        try await database.schema("partners").delete()
    }
}
