import Fluent
import SdelkaCore
import SQLKit

/// What classification reads: the per-partner daily sales totals summed over a window, and per
/// sub-period — never the sales lines themselves.
enum ClassificationFacts {
    struct Totals: Sendable {
        var revenue: Int64 = 0
        var cost: Int64 = 0
        var sales: Int64 = 0

        func value(_ measure: ClassificationMeasure) -> Int64 {
            switch measure {
            case .revenue: revenue
            case .grossProfit: revenue - cost
            case .salesCount: sales
            }
        }
    }

    private struct Row: Decodable {
        var partner_id: UUID
        var revenue: Int64
        var cost: Int64
        var sales: Int64
    }

    /// Every partner with sales facts in `start…end` and its totals.
    static func totals(from start: CalendarDate, to end: CalendarDate, on db: any SQLDatabase) async throws -> [UUID: Totals] {
        let rows = try await db.raw("""
            SELECT partner_id, CAST(SUM(revenue_cents) AS BIGINT) AS revenue, CAST(SUM(cost_cents) AS BIGINT) AS cost,
                   CAST(SUM(sales_count) AS BIGINT) AS sales
            FROM partner_sales_daily WHERE day >= \(bind: start.description) AND day <= \(bind: end.description)
            GROUP BY partner_id
            """).all(decoding: Row.self)
        var totals: [UUID: Totals] = [:]
        totals.reserveCapacity(rows.count)
        for row in rows { totals[row.partner_id] = Totals(revenue: row.revenue, cost: row.cost, sales: row.sales) }
        return totals
    }

    /// Σx and Σx² of every measure over the sub-periods of `unit`, per partner with facts in
    /// `start…end`; the database sums each sub-period, Swift squares them exactly.
    static func moments(from start: CalendarDate, to end: CalendarDate, subUnit unit: PeriodUnit,
                        on db: any SQLDatabase) async throws -> [UUID: [ABCXYZ.Moments]] {
        let rows = try await db.raw("""
            SELECT partner_id, CAST(SUM(revenue_cents) AS BIGINT) AS revenue, CAST(SUM(cost_cents) AS BIGINT) AS cost,
                   CAST(SUM(sales_count) AS BIGINT) AS sales
            FROM partner_sales_daily WHERE day >= \(bind: start.description) AND day <= \(bind: end.description)
            GROUP BY partner_id, \(unsafeRaw: subPeriodKey(unit, dialect: db.dialect.name))
            """).all(decoding: Row.self)
        var moments: [UUID: [ABCXYZ.Moments]] = [:]
        for row in rows {
            var m = moments[row.partner_id] ?? Array(repeating: ABCXYZ.Moments(), count: ClassificationMeasure.allCases.count)
            let totals = Totals(revenue: row.revenue, cost: row.cost, sales: row.sales)
            for (index, measure) in ClassificationMeasure.allCases.enumerated() { m[index].add(totals.value(measure)) }
            moments[row.partner_id] = m
        }
        return moments
    }

    /// An expression of `day` (a `YYYY-MM-DD` text) that is equal exactly for the days of one
    /// sub-period. A fixed text per unit, never built from input.
    static func subPeriodKey(_ unit: PeriodUnit, dialect: String) -> String {
        let month = "(CAST(substr(day, 1, 4) AS INTEGER) * 12 + CAST(substr(day, 6, 2) AS INTEGER) - 1)"
        let dayOfMonth = "CAST(substr(day, 9, 2) AS INTEGER)"
        // Days since 1970-01-01 shifted so that the division by 7 splits at Mondays and stays positive.
        let epochDay = dialect == "sqlite" ? "CAST(julianday(day) - 2440587.5 AS INTEGER)" : "(CAST(day AS DATE) - DATE '1970-01-01')"
        switch unit {
        case .day: return "day"
        case .week: return "((\(epochDay) + 700003) / 7)"
        case .decade: return "(\(month) * 3 + CASE WHEN \(dayOfMonth) > 20 THEN 2 ELSE (\(dayOfMonth) - 1) / 10 END)"
        case .month: return month
        case .quarter: return "(\(month) / 3)"
        case .halfYear: return "(\(month) / 6)"
        case .year: return "(\(month) / 12)"
        }
    }

    /// The codes of the partners with facts in `start…end`, for the tie-break (an empty code
    /// sorts first).
    static func codes(from start: CalendarDate, to end: CalendarDate, on db: any SQLDatabase) async throws -> [UUID: String] {
        struct Code: Decodable { var id: UUID; var code: String? }
        let rows = try await db.raw("""
            SELECT id, code FROM partners WHERE id IN (
                SELECT DISTINCT partner_id FROM partner_sales_daily WHERE day >= \(bind: start.description) AND day <= \(bind: end.description))
            """).all(decoding: Code.self)
        var codes: [UUID: String] = [:]
        codes.reserveCapacity(rows.count)
        for row in rows { codes[row.id] = row.code ?? "" }
        return codes
    }
}
