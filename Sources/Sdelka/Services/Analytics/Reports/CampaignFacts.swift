import Foundation
import SdelkaCore
import SQLKit

/// The grouped reads behind marketing effectiveness: partners and their sales by registration
/// source (a partner has one registration record, so per-channel sums of per-event groups are
/// exact), and attributed deals grouped once by event and once by channel (won clients are
/// distinct within each grouping).
struct CampaignFacts {
    var byEvent: [UUID: CampaignFigures] = [:]
    var byChannel: [UUID?: CampaignFigures] = [:]

    static func load(_ filter: MarketingEffectivenessReport.Filter, scope: AccessScope, on sql: any SQLDatabase) async throws -> CampaignFacts {
        var facts = CampaignFacts()
        for row in try await registrations(filter, scope: scope, sales: false, on: sql) {
            facts.add(row) { $0.newPartners += row.n }
        }
        for row in try await registrations(filter, scope: scope, sales: true, on: sql) {
            facts.add(row) { $0.revenueCents +| row.revenue; $0.grossProfitCents +| row.revenue.subtractingSaturated(row.cost) }
        }
        for byEvent in [true, false] {
            for row in try await deals(filter, scope: scope, byEvent: byEvent, on: sql) {
                if byEvent {
                    guard let event = row.key else { continue }
                    facts.byEvent[event, default: CampaignFigures()].addDeals(row)
                } else {
                    facts.byChannel[row.key, default: CampaignFigures()].addDeals(row)
                }
            }
        }
        return facts
    }

    struct SourceRow: Decodable {
        var channel_id: UUID
        var event_id: UUID?
        var n: Int
        var revenue: Int64
        var cost: Int64
    }

    struct DealRow: Decodable {
        var key: UUID?
        var deals: Int
        var won: Int
        var clients: Int
    }

    private mutating func add(_ row: SourceRow, _ change: (inout CampaignFigures) -> Void) {
        change(&byChannel[row.channel_id, default: CampaignFigures()])
        if let event = row.event_id { change(&byEvent[event, default: CampaignFigures()]) }
    }

    /// Registration sources grouped by channel and event: partners registered (in the period),
    /// or with `sales`, their sales from their registration date on (in the period).
    private static func registrations(_ filter: MarketingEffectivenessReport.Filter, scope: AccessScope, sales: Bool,
                                      on sql: any SQLDatabase) async throws -> [SourceRow] {
        var query = SQLQueryString("SELECT rs.channel_id, rs.event_id, COUNT(*) AS n, ")
        let day = sales ? "s.day" : "p.registered_on"
        if sales {
            query.appendInterpolation(raw: """
                CAST(SUM(s.revenue_cents) AS BIGINT) AS revenue, CAST(SUM(s.cost_cents) AS BIGINT) AS cost
                FROM primary_interests rs JOIN partners p ON p.id = rs.partner_id
                JOIN partner_sales_daily s ON s.partner_id = rs.partner_id AND s.day >= COALESCE(p.registered_on, '')
                """)
        } else {
            query.appendInterpolation(raw: "CAST(0 AS BIGINT) AS revenue, CAST(0 AS BIGINT) AS cost FROM primary_interests rs JOIN partners p ON p.id = rs.partner_id")
        }
        query.appendInterpolation(raw: " WHERE rs.deal_id IS NULL AND p.deletion_mark = ")
        query.appendInterpolation(SQLLiteral.boolean(false))
        query.and(day, ">=", filter.from?.description)
        query.and(day, "<=", filter.to?.description)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "rs"))
        query.appendInterpolation(raw: " GROUP BY rs.channel_id, rs.event_id")
        return try await sql.raw(query).all(decoding: SourceRow.self)
    }

    /// Deals grouped by the event (or channel) of their own source, else of their partner's
    /// registration source: count, won, distinct clients won.
    private static func deals(_ filter: MarketingEffectivenessReport.Filter, scope: AccessScope, byEvent: Bool,
                              on sql: any SQLDatabase) async throws -> [DealRow] {
        let key = byEvent ? "CASE WHEN ds.id IS NULL THEN rs.event_id ELSE ds.event_id END" : "COALESCE(ds.channel_id, rs.channel_id)"
        var query = SQLQueryString("SELECT ")
        query.appendInterpolation(raw: """
            \(key) AS key, COUNT(*) AS deals, SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won,
            COUNT(DISTINCT CASE WHEN d.status = 'won' THEN d.partner_id END) AS clients
            FROM deals d LEFT JOIN primary_interests ds ON ds.deal_id = d.id
            LEFT JOIN primary_interests rs ON rs.partner_id = d.partner_id AND rs.deal_id IS NULL
            WHERE d.deletion_mark = 
            """)
        query.appendInterpolation(SQLLiteral.boolean(false))
        query.and("d.start_date", ">=", filter.from?.description)
        query.and("d.start_date", "<=", filter.to?.description)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "d"))
        query.appendInterpolation(raw: " GROUP BY \(key)")
        return try await sql.raw(query).all(decoding: DealRow.self)
    }
}

private extension CampaignFigures {
    mutating func addDeals(_ row: CampaignFacts.DealRow) {
        deals += row.deals
        wonDeals += row.won
        wonClients += row.clients
    }
}
