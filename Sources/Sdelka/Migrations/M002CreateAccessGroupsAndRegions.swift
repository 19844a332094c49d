import Fluent

struct M002CreateAccessGroupsAndRegions: AsyncMigration {
    func prepare(on database: Database) async throws {
        for table in ["business_regions", "access_groups"] {
            try await database.schema(table)
                .recordFields()
                .field("name", .string, .required)
                .field("comment", .string)
                .field("search_text", .string, .required)
                .create()
        }
        try await database.schema("user_access_groups")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("access_group_id", .uuid, .required, .references("access_groups", "id"))
            .unique(on: "user_id", "access_group_id")
            .create()
        try await database.createIndex("user_access_groups_group", on: "user_access_groups", "access_group_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("user_access_groups").delete()
        try await database.schema("access_groups").delete()
        try await database.schema("business_regions").delete()
    }
}
