import Fluent

struct M009CreateContactPersons: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("contact_roles")
            .recordFields()
            .field("name", .string, .required)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.schema("contact_persons")
            .recordFields()
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("name", .string, .required)
            .field("position", .string)
            .field("gender", .string)
            .field("birth_date", .string)
            .field("since", .string)
            .field("until", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.createIndex("contact_persons_partner", on: "contact_persons", "partner_id")
        try await database.schema("contact_person_roles")
            .id()
            .field("contact_person_id", .uuid, .required, .references("contact_persons", "id", onDelete: .cascade))
            .field("role_id", .uuid, .required, .references("contact_roles", "id"))
            .unique(on: "contact_person_id", "role_id")
            .create()
        try await database.createIndex("contact_person_roles_role", on: "contact_person_roles", "role_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("contact_person_roles").delete()
        try await database.schema("contact_persons").delete()
        try await database.schema("contact_roles").delete()
    }
}
