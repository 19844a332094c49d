import Fluent
import SQLKit

/// ABC/XYZ classification as a history (DOMAIN.md §6): one run per record date (the last day
/// of its window), and per run, measure and partner its classes and values.
struct M017CreateClassification: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("classification_runs")
            .id()
            .field("date", .string, .required)
            .field("classification_date", .string, .required)
            .field("abc_start", .string, .required)
            .field("xyz_start", .string, .required)
            .field("xyz_end", .string, .required)
            .field("sub_periods", .int, .required)
            .field("settings", .string, .required)
            .field("measures", .string, .required)
            .field("partners", .int, .required)
            .field("duration_ms", .int, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid, .references("users", "id"))
            .unique(on: "date")
            .create()
        let sql = database.sql
        let withoutRowID = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        // One row per run and partner with the classes and values of every measure: `abc`/`xyz`
        // are null for a measure the run did not classify by, or when the partner had facts in
        // one window but not the other. Results are derived data, written tens of thousands at a
        // time and never edited, so they carry no foreign keys and no checks per row: a replaced
        // run deletes its rows first, and purge deletes a purged partner's history (`Purge.owned`).
        let measures = ["revenue", "gross_profit", "sales_count"].map {
            "\($0)_abc TEXT, \($0)_abc_value BIGINT, \($0)_xyz TEXT, \($0)_xyz_value DOUBLE PRECISION,"
        }.joined(separator: "\n")
        try await sql.raw("""
            CREATE TABLE classification_results (
                run_id UUID NOT NULL,
                partner_id UUID NOT NULL,
                date TEXT NOT NULL,
                \(unsafeRaw: measures)
                PRIMARY KEY (run_id, partner_id)
            )\(unsafeRaw: withoutRowID)
            """).run()
        // No index by partner: a partner's history (the dossier's last results, the relationship
        // stage) reads the few latest runs by their primary key, and a run writes its rows in
        // key order instead of scattering them over a second b-tree.
        try await sql.create(table: "scheduled_jobs")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("next_run_at", type: .bigint, .notNull)
            .run()
    }

    func revert(on database: Database) async throws {
        for table in ["scheduled_jobs", "classification_results", "classification_runs"] {
            try await database.schema(table).delete()
        }
    }
}
