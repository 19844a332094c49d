import Fluent
import SQLKit

/// Sales facts (DOMAIN.md §5): products, our organizations, agreements and contracts, sales
/// documents with lines, and the per-partner daily totals the analytics read.
struct M016CreateSales: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await createCatalogues(on: database)
        try await createTerms(on: database)
        try await createSales(on: database)
    }

    private func createCatalogues(on database: Database) async throws {
        try await database.schema("product_groups")
            .recordFields()
            .field("name", .string, .required)
            .field("parent_id", .uuid, .references("product_groups", "id"))
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.createIndex("product_groups_parent", on: "product_groups", "parent_id")
        try await database.schema("organizations")
            .recordFields()
            .field("name", .string, .required)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.schema("products")
            .recordFields()
            .field("sku", .string, .required)
            .field("name", .string, .required)
            .field("group_id", .uuid, .references("product_groups", "id"))
            .field("unit", .string, .required)
            .field("price_cents", .int64)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .unique(on: "sku")
            .create()
        try await database.createIndex("products_group", on: "products", "group_id")
        try await database.createIndex("products_name", on: "products", "deletion_mark", "name")
    }

    private func createTerms(on database: Database) async throws {
        // Соглашения (price type, payment terms, validity) and Договоры hang off a counterparty.
        try await database.schema("agreements")
            .recordFields()
            .field("counterparty_id", .uuid, .required, .references("counterparties", "id"))
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("number", .string, .required)
            .field("name", .string, .required)
            .field("date", .string)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .field("price_type", .string)
            .field("payment_terms", .string)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.createIndex("agreements_counterparty", on: "agreements", "counterparty_id")
        try await database.schema("contracts")
            .recordFields()
            .field("counterparty_id", .uuid, .required, .references("counterparties", "id"))
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("number", .string, .required)
            .field("name", .string, .required)
            .field("date", .string)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .field("price_type", .string)
            .field("payment_terms", .string)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.createIndex("contracts_counterparty", on: "contracts", "counterparty_id")
    }

    private func createSales(on database: Database) async throws {
        try await database.schema("sales")
            .recordFields()
            .field("number", .string, .required)
            .field("date", .string, .required)
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("counterparty_id", .uuid, .references("counterparties", "id"))
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("deal_id", .uuid, .references("deals", "id"))
            .field("agreement_id", .uuid, .references("agreements", "id"))
            .field("contract_id", .uuid, .references("contracts", "id"))
            .field("is_return", .bool, .required)
            .field("revenue_cents", .int64, .required)
            .field("cost_cents", .int64, .required)
            .field("line_count", .int, .required)
            .field("line_key", .int64, .required)
            .field("comment", .string)
            .unique(on: "number")
            .unique(on: "line_key")
            .create()
        try await database.createIndex("sales_partner", on: "sales", "partner_id", "date")
        try await database.createIndex("sales_date", on: "sales", "date")
        try await database.createIndex("sales_counterparty", on: "sales", "counterparty_id")
        // Most documents come from accounting without a deal or organization: index only those with one.
        try await database.sql.raw("CREATE INDEX sales_deal ON sales (deal_id) WHERE deal_id IS NOT NULL").run()
        try await database.sql.raw("CREATE INDEX sales_organization ON sales (organization_id) WHERE organization_id IS NOT NULL").run()
        // Lines are parts of their document (no id of their own), kept in document order under
        // the document's integer `line_key`: on SQLite clustered by it, so that a document's lines
        // are one range and a bulk load appends at the right edge with 8-byte keys, not 36-byte ids.
        let sql = database.sql
        let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE sale_lines (
                sale_key BIGINT NOT NULL REFERENCES sales (line_key) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                product_id UUID NOT NULL REFERENCES products (id),
                quantity_milli BIGINT NOT NULL,
                price_cents BIGINT NOT NULL,
                amount_cents BIGINT NOT NULL,
                cost_cents BIGINT NOT NULL,
                PRIMARY KEY (sale_key, position)
            )\(unsafeRaw: withoutRowID)
            """).run()
        // Revenue, cost and the numbers of sales and returns per partner and day, kept with every
        // write of a document: the analytics sum these instead of rescanning the lines.
        try await sql.raw("""
            CREATE TABLE partner_sales_daily (
                partner_id UUID NOT NULL REFERENCES partners (id),
                day TEXT NOT NULL,
                revenue_cents BIGINT NOT NULL,
                cost_cents BIGINT NOT NULL,
                sales_count BIGINT NOT NULL,
                returns_count BIGINT NOT NULL,
                PRIMARY KEY (partner_id, day)
            )\(unsafeRaw: withoutRowID)
            """).run()
        try await database.createIndex("partner_sales_daily_day", on: "partner_sales_daily", "day")
        try await sql.insert(into: "sequences").columns("name", "value").values(SQLBind("sale"), SQLBind(0)).run()
        try await sql.insert(into: "sequences").columns("name", "value").values(SQLBind("sale_line_key"), SQLBind(0)).run()
    }

    func revert(on database: Database) async throws {
        try await database.sql.delete(from: "sequences").where("name", .in, SQLBind.group(["sale", "sale_line_key"])).run()
        for table in ["partner_sales_daily", "sale_lines", "sales", "contracts", "agreements", "products", "organizations", "product_groups"] {
            try await database.schema(table).delete()
        }
    }
}
