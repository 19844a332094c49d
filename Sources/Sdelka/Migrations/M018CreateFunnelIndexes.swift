import Fluent
import SQLKit

/// The sales funnel reads a deal kind's stage rows straight from one index, in stage and result
/// order, without touching the table; deals marked for deletion (few) are left out through a
/// partial index of just them.
struct M018CreateFunnelIndexes: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.createIndex("deal_stage_rows_funnel", on: "deal_stage_rows", "kind_id", "stage_id", "result",
                                       "potential_cents", "duration_days", "start_at", "end_at", "responsible_id", "deal_id")
        try await database.sql.raw("CREATE INDEX deals_marked ON deals (id) WHERE deletion_mark = \(SQLLiteral.boolean(true))").run()
    }

    func revert(on database: Database) async throws {
        try await database.sql.drop(index: "deal_stage_rows_funnel").run()
        try await database.sql.drop(index: "deals_marked").run()
    }
}
