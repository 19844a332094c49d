import Fluent

struct M008CreateCounterparties: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("counterparties")
            .recordFields()
            .field("code", .string)
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("name", .string, .required)
            .field("full_name", .string, .required)
            .field("legal_form", .string, .required)
            .field("inn", .string)
            .field("kpp", .string)
            .field("ogrn", .string)
            .field("okpo", .string)
            .field("country", .string)
            .field("head_counterparty_id", .uuid, .references("counterparties", "id"))
            .field("name_history", .string, .required)
            .field("kpp_history", .string, .required)
            .field("search_text", .string, .required)
            .unique(on: "code")
            .create()
        try await database.createIndex("counterparties_partner", on: "counterparties", "partner_id")
        try await database.createIndex("counterparties_inn_kpp", on: "counterparties", "inn", "kpp")
        try await database.createIndex("counterparties_head", on: "counterparties", "head_counterparty_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("counterparties").delete()
    }
}
