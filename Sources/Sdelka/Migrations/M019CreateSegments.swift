import Fluent
import SQLKit

/// Partner segments and the stored members of manual and periodic ones (one row per segment ×
/// partner, clustered by segment on SQLite; the partner index answers "which segments").
struct M019CreateSegments: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("segments")
            .recordFields()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("rule", .string)
            .field("stop_list", .bool, .required)
            .field("comment", .string)
            .field("refreshed_at", .datetime)
            .field("search_text", .string, .required)
            .create()
        let sql = database.sql
        let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE segment_members (
                segment_id UUID NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
                partner_id UUID NOT NULL REFERENCES partners (id),
                PRIMARY KEY (segment_id, partner_id)
            )\(unsafeRaw: withoutRowID)
            """).run()
        try await database.createIndex("segment_members_partner", on: "segment_members", "partner_id")
    }

    func revert(on database: Database) async throws {
        try await database.schema("segment_members").delete()
        try await database.schema("segments").delete()
    }
}
