import Foundation
import SdelkaCore
import SQLKit

/// The grouped query of deal analysis. Every dimension maps to a fixed column of the deal or
/// of a joined table; only the joins a grouping needs are made.
enum DealAnalysisQuery {
    struct Row {
        /// One per dimension: the UUID's text, the status or the month; nil for "none".
        var keys: [String?]
        var figures: DealFigures
    }

    static func column(_ dimension: DealDimension) -> String {
        switch dimension {
        case .responsible: return "d.responsible_id"
        case .kind: return "d.kind_id"
        case .status: return "d.status"
        case .stage: return "d.stage_id"
        case .partner: return "d.partner_id"
        case .channel: return "src.channel_id"
        case .event: return "src.event_id"
        case .region: return "p.business_region_id"
        case .lossReason: return "d.loss_reason_id"
        case .competitor: return "rival.partner_id"
        case .month: return startMonth
        }
    }

    private static let startMonth = "substr(d.start_date, 1, 7)"

    static func isReference(_ dimension: DealDimension) -> Bool { dimension != .status && dimension != .month }

    static func rows(_ dimensions: [DealDimension], _ filter: DealAnalysisReport.Filter, scope: AccessScope,
                     on sql: any SQLDatabase) async throws -> [Row] {
        let closed = "d.status <> 'open' AND d.end_date IS NOT NULL"
        let days = sql.dialect.name == "sqlite"
            ? "CAST(julianday(d.end_date) - julianday(d.start_date) AS INTEGER)"
            : "(CAST(d.end_date AS DATE) - CAST(d.start_date AS DATE))"
        let keys = dimensions.enumerated().map { "\(column($1)) AS k\($0)" }
        var query = SQLQueryString("SELECT ")
        query.appendInterpolation(raw: (keys + [
            "COUNT(*) AS n",
            "SUM(CASE WHEN d.status = 'open' THEN 1 ELSE 0 END) AS open_n",
            "SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won_n",
            "SUM(CASE WHEN d.status = 'lost' THEN 1 ELSE 0 END) AS lost_n",
            "CAST(SUM(COALESCE(d.potential_cents, 0)) AS BIGINT) AS potential",
            "CAST(SUM(CASE WHEN d.status = 'won' THEN COALESCE(d.potential_cents, 0) ELSE 0 END) AS BIGINT) AS won_cents",
            "CAST(SUM(CASE WHEN \(closed) THEN \(days) ELSE 0 END) AS BIGINT) AS cycle_days",
            "SUM(CASE WHEN \(closed) THEN 1 ELSE 0 END) AS cycles",
        ]).joined(separator: ", "))
        query.appendInterpolation(raw: " FROM deals d")
        if dimensions.contains(.region) { query.appendInterpolation(raw: " JOIN partners p ON p.id = d.partner_id") }
        if dimensions.contains(.channel) || dimensions.contains(.event) {
            query.appendInterpolation(raw: " LEFT JOIN primary_interests src ON src.deal_id = d.id")
        }
        if dimensions.contains(.competitor) {
            query.appendInterpolation(raw: " LEFT JOIN deal_participants rival ON rival.deal_id = d.id"
                                      + " AND rival.partner_id IN (SELECT id FROM partners WHERE is_competitor = ")
            query.appendInterpolation(SQLLiteral.boolean(true))
            query.appendInterpolation(raw: ")")
        }
        query.appendInterpolation(raw: " WHERE d.deletion_mark = ")
        query.appendInterpolation(SQLLiteral.boolean(false))
        query.and("d.start_date", ">=", filter.from?.description)
        query.and("d.start_date", "<=", filter.to?.description)
        query.and("d.kind_id", "=", filter.kindID)
        query.and("d.responsible_id", "=", filter.responsibleID)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "d"))
        if !dimensions.isEmpty {
            query.appendInterpolation(raw: " GROUP BY " + dimensions.map(column).joined(separator: ", "))
        }
        return try await sql.raw(query).all().compactMap { row in
            var figures = DealFigures()
            figures.count = try row.decode(column: "n", as: Int.self)
            guard figures.count > 0 else { return nil }
            figures.open = try row.decode(column: "open_n", as: Int?.self) ?? 0
            figures.won = try row.decode(column: "won_n", as: Int?.self) ?? 0
            figures.lost = try row.decode(column: "lost_n", as: Int?.self) ?? 0
            figures.potentialCents = try row.decode(column: "potential", as: Int64?.self) ?? 0
            figures.wonCents = try row.decode(column: "won_cents", as: Int64?.self) ?? 0
            figures.cycleDays = try row.decode(column: "cycle_days", as: Int64?.self) ?? 0
            figures.cycles = try row.decode(column: "cycles", as: Int?.self) ?? 0
            let keys = try dimensions.indices.map { index -> String? in
                isReference(dimensions[index])
                    ? try row.decode(column: "k\(index)", as: UUID?.self)?.uuidString
                    : try row.decode(column: "k\(index)", as: String?.self)
            }
            return Row(keys: keys, figures: figures)
        }
    }
}
