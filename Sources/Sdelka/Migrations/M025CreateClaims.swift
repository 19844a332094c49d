import Fluent
import SQLKit

/// Clients' claims (DOMAIN.md §7) with their catalogues of causes and guilty departments.
struct M025CreateClaims: AsyncMigration {
    func prepare(on database: Database) async throws {
        for table in ["claim_causes", "claim_departments"] {
            try await database.schema(table)
                .recordFields()
                .field("name", .string, .required)
                .field("comment", .string)
                .field("search_text", .string, .required)
                .create()
        }
        try await database.schema("claims")
            .recordFields()
            .field("number", .string, .required)
            .field("date", .string, .required)
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("counterparty_id", .uuid, .references("counterparties", "id"))
            .field("contact_person_id", .uuid, .references("contact_persons", "id"))
            .field("amount_cents", .int64)
            .field("basis_type", .string)
            .field("basis_id", .uuid)
            .field("cause_id", .uuid, .references("claim_causes", "id"))
            .field("department_id", .uuid, .references("claim_departments", "id"))
            .field("guilty_user_id", .uuid, .references("users", "id"))
            .field("responsible_id", .uuid, .references("users", "id"))
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("result", .string)
            .field("settled_cents", .int64)
            .field("closed_on", .string)
            .field("days_to_close", .int)
            .field("search_text", .string, .required)
            .unique(on: "number")
            .create()
        // The list's filters and the report's periods and groups.
        try await database.createIndex("claims_partner", on: "claims", "partner_id", "date")
        try await database.createIndex("claims_date", on: "claims", "deletion_mark", "date")
        try await database.createIndex("claims_status", on: "claims", "status", "date")
        try await database.createIndex("claims_cause", on: "claims", "cause_id")
        try await database.createIndex("claims_department", on: "claims", "department_id")
        try await database.createIndex("claims_responsible", on: "claims", "responsible_id")
        try await database.createIndex("claims_basis", on: "claims", "basis_id")
        try await database.sql.insert(into: "sequences").columns("name", "value").values(SQLBind("claim"), SQLBind(0)).run()
    }

    func revert(on database: Database) async throws {
        try await database.sql.delete(from: "sequences").where("name", .equal, SQLBind("claim")).run()
        try await database.schema("claims").delete()
        try await database.schema("claim_departments").delete()
        try await database.schema("claim_causes").delete()
    }
}
