import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/forecast?kindId=&responsibleId=&from=&to=`: the open deals the user may
/// see by expected close month (their end date; "none" when it is empty), with potential and
/// potential × probability, per month and per month × responsible. The probability is the one
/// DOMAIN.md §4 defines, from the kept win tallies joined in the same query.
struct ForecastReport: Content {
    struct Month: Content, Equatable {
        var month: String?
        var responsibleId: UUID?
        var responsible: String?
        var count: Int
        var potential: Decimal
        var weighted: Decimal
        var meanProbability: Decimal?
    }

    struct Filter: Sendable {
        var kindID: UUID?
        var responsibleID: UUID?
        var from: CalendarDate?
        var to: CalendarDate?
    }

    var months: [Month]
    var byResponsible: [Month]
    var total: Month

    private struct Key: Hashable { var month: String?; var responsible: UUID? }

    static func make(_ filter: Filter, scope: AccessScope, on db: any Database) async throws -> ForecastReport {
        var months: [String?: ForecastTotals] = [:], byResponsible: [Key: ForecastTotals] = [:], total = ForecastTotals()
        try await rows(filter, scope: scope, on: db.sql) { month, responsible, cents, probability in
            months[month, default: ForecastTotals()].add(potentialCents: cents, probability: probability)
            byResponsible[Key(month: month, responsible: responsible), default: ForecastTotals()].add(potentialCents: cents, probability: probability)
            total.add(potentialCents: cents, probability: probability)
        }
        let names = try await User.query(on: db).all().reduce(into: [UUID: String]()) { $0[$1.id!] = $1.name }
        func line(_ month: String?, _ responsible: UUID?, _ t: ForecastTotals, named: Bool) -> Month {
            Month(month: month, responsibleId: responsible, responsible: named ? responsible.flatMap { names[$0] } ?? "" : nil,
                  count: t.count, potential: Money.decimal(cents: t.potentialCents), weighted: Money.decimal(cents: t.weightedCents),
                  meanProbability: t.meanProbability)
        }
        // Months in time, deals without a date last.
        let monthOrder = { (m: String?) in m ?? "9999-99" }
        return ForecastReport(
            months: months.sorted { monthOrder($0.key) < monthOrder($1.key) }.map { line($0.key, nil, $0.value, named: false) },
            byResponsible: byResponsible.map { line($0.key.month, $0.key.responsible, $0.value, named: true) }
                .sorted { (monthOrder($0.month), $0.responsible ?? "") < (monthOrder($1.month), $1.responsible ?? "") },
            total: line(nil, nil, total, named: false))
    }

    /// One row per open deal: its month, responsible, potential and the five components of its
    /// probability, the four win tallies read by joins on their unique key.
    private static func rows(_ filter: Filter, scope: AccessScope, on sql: any SQLDatabase,
                             _ each: (String?, UUID?, Int64?, Decimal) -> Void) async throws {
        var query = SQLQueryString("SELECT substr(d.end_date, 1, 7) AS month, d.responsible_id, d.potential_cents, d.manager_probability")
        let joins: [(alias: String, column: String, dimension: DealWinTallies.Dimension)] =
            [("ts", "stage_id", .stage), ("tr", "responsible_id", .responsible), ("tp", "partner_id", .partner), ("tk", "kind_id", .kind)]
        for join in joins { query.appendInterpolation(raw: ", \(join.alias).won AS \(join.alias)_won, \(join.alias).lost AS \(join.alias)_lost") }
        query.appendInterpolation(raw: " FROM deals d")
        for join in joins {
            query.appendInterpolation(raw: " LEFT JOIN deal_win_tallies \(join.alias) ON \(join.alias).subject_id = d.\(join.column) AND \(join.alias).dimension = '\(join.dimension.rawValue)'")
        }
        query.appendInterpolation(raw: " WHERE d.status = 'open' AND d.deletion_mark = ")
        query.appendInterpolation(SQLLiteral.boolean(false))
        query.and("d.end_date", ">=", filter.from?.description)
        query.and("d.end_date", "<=", filter.to?.description)
        query.and("d.kind_id", "=", filter.kindID)
        query.and("d.responsible_id", "=", filter.responsibleID)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "d"))
        for row in try await sql.raw(query).all() {
            func tally(_ alias: String) throws -> WinTally? {
                guard let won = try row.decode(column: "\(alias)_won", as: Int?.self) else { return nil }
                return WinTally(won: won, lost: try row.decode(column: "\(alias)_lost", as: Int?.self) ?? 0)
            }
            let probability = DealProbability.compute(
                status: .open, managerEstimate: try row.decode(column: "manager_probability", as: Int?.self),
                stage: try tally("ts"), responsible: try tally("tr"), partner: try tally("tp"), kind: try tally("tk"))
            each(try row.decode(column: "month", as: String?.self), try row.decode(column: "responsible_id", as: UUID?.self),
                 try row.decode(column: "potential_cents", as: Int64?.self), probability)
        }
    }

    static func table(_ report: ForecastReport) -> ReportFormat.Table {
        ReportFormat.Table(
            filename: "forecast.csv", header: ["month", "responsible", "count", "potential", "weighted", "mean_probability"],
            rows: (report.months + report.byResponsible).map {
                [$0.month ?? "", $0.responsible, String($0.count), $0.potential.description, $0.weighted.description, $0.meanProbability?.description]
            })
    }
}
