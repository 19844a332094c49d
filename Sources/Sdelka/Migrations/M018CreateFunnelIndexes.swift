import Fluent
import SQLKit

/// The sales funnel reads a deal kind's stage rows straight from one index, in stage and result
/// order, without touching the table; deals marked for deletion (few) are left out through a
/// partial index of just them. The loss-reasons report reads lost deals from a partial index of
/// just those, covering what it groups and filters by.
struct M018CreateFunnelIndexes: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.createIndex("deal_stage_rows_funnel", on: "deal_stage_rows", "kind_id", "stage_id", "result",
                                       "potential_cents", "duration_days", "start_at", "end_at", "responsible_id", "deal_id")
        try await database.sql.raw("CREATE INDEX deals_marked ON deals (id) WHERE deletion_mark = \(SQLLiteral.boolean(true))").run()
        try await database.sql.raw("""
            CREATE INDEX deals_lost ON deals (loss_reason_id, responsible_id, partner_id, potential_cents, end_date, kind_id)
            WHERE status = 'lost' AND deletion_mark = \(SQLLiteral.boolean(false))
            """).run()
    }

    func revert(on database: Database) async throws {
        try await database.sql.drop(index: "deal_stage_rows_funnel").run()
        try await database.sql.drop(index: "deals_marked").run()
        try await database.sql.drop(index: "deals_lost").run()
    }
}
