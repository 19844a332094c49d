import Fluent
import SQLKit

/// Competitive intelligence (DOMAIN.md §7): where a competitor's price was seen (a catalogue),
/// the prices themselves per competitor, product and date with their files, and dated notes of
/// each competitor's strengths and weaknesses.
struct M028CreateCompetitorIntel: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("competitor_price_sources")
            .recordFields()
            .field("name", .string, .required)
            .field("comment", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.schema("competitor_prices")
            .recordFields()
            .field("competitor_id", .uuid, .required, .references("partners", "id"))
            .field("product_id", .uuid, .required, .references("products", "id"))
            .field("date", .string, .required)
            .field("price_cents", .int64, .required)
            .field("currency", .string, .required)
            .field("unit", .string)
            .field("source_id", .uuid, .references("competitor_price_sources", "id"))
            .field("recorded_by", .uuid, .references("users", "id"))
            .field("deal_id", .uuid, .references("deals", "id"))
            .field("interaction_id", .uuid, .references("interactions", "id"))
            .field("note", .string)
            .create()
        // The comparison's "latest on or before the date" per competitor and product is one
        // index seek; a competitor's observations by date for its card and the report.
        try await database.createIndex("competitor_prices_latest", on: "competitor_prices", "product_id", "competitor_id", "date")
        try await database.createIndex("competitor_prices_competitor", on: "competitor_prices", "competitor_id", "date")
        // Every (product, competitor) pair ever observed: what the comparison seeks from. Derived
        // data without foreign keys: a merge rebuilds a competitor's pairs, a stale pair finds nothing.
        let withoutRowID = database.sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await database.sql.raw("""
            CREATE TABLE competitor_price_pairs (product_id UUID NOT NULL, competitor_id UUID NOT NULL,
                PRIMARY KEY (product_id, competitor_id))\(unsafeRaw: withoutRowID)
            """).run()
        try await database.schema("competitor_price_files")
            .id()
            .field("price_id", .uuid, .required, .references("competitor_prices", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .create()
        try await database.createIndex("competitor_price_files_price", on: "competitor_price_files", "price_id", "position")
        try await database.schema("competitor_notes")
            .recordFields()
            .field("competitor_id", .uuid, .required, .references("partners", "id"))
            .field("date", .string, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("author_id", .uuid, .references("users", "id"))
            .create()
        try await database.createIndex("competitor_notes_competitor", on: "competitor_notes", "competitor_id", "date")
    }

    func revert(on database: Database) async throws {
        for table in ["competitor_notes", "competitor_price_files", "competitor_price_pairs", "competitor_prices", "competitor_price_sources"] {
            try await database.schema(table).delete()
        }
    }
}
