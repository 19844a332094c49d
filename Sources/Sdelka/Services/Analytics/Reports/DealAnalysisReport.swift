import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/deals?groupBy=responsible,kind&from=&to=&kindId=&responsibleId=`:
/// deal analysis (DOMAIN.md §6) — count, open/won/lost, potential, won amount, win rate and
/// mean cycle of the deals started in the period, grouped by up to three dimensions, in one
/// grouped query over the deals the user may see. A deal with two competitors counts under each.
struct DealAnalysisReport: Content {
    struct Key: Content, Equatable {
        var dimension: DealDimension
        /// The id of the referenced record, `open|won|lost` for status, `YYYY-MM` for month; nil for "none".
        var value: String?
        var name: String
    }

    struct Line: Content, Equatable {
        var keys: [Key]
        var count: Int
        var open: Int
        var won: Int
        var lost: Int
        var potential: Decimal
        var wonAmount: Decimal
        var winRate: Decimal?
        var meanCycleDays: Decimal?
    }

    struct Filter: Sendable {
        var groupBy: [DealDimension] = [.responsible]
        var from: CalendarDate?
        var to: CalendarDate?
        var kindID: UUID?
        var responsibleID: UUID?
    }

    var groupBy: [DealDimension]
    var groups: [Line]
    var total: Line

    static func make(_ filter: Filter, scope: AccessScope, on db: any Database) async throws -> DealAnalysisReport {
        let sql = db.sql
        let grouped = try await DealAnalysisQuery.rows(filter.groupBy, filter, scope: scope, on: sql)
        // Each deal is in exactly one group, except that a deal with two competitors is in two.
        var total = DealFigures()
        if filter.groupBy.contains(.competitor) {
            total = try await DealAnalysisQuery.rows([], filter, scope: scope, on: sql).first?.figures ?? DealFigures()
        } else {
            for row in grouped { total.add(row.figures) }
        }
        let names = try await DealDimensionNames.load(filter.groupBy, values: grouped.map(\.keys), scope: scope, on: sql)
        let groups = grouped.map { row in
            (keys: zip(filter.groupBy, row.keys).map { names.key($0, $1) }, figures: row.figures)
        }.sorted { left, right in
            for (l, r) in zip(left.keys, right.keys) where l.value != r.value {
                return names.sortKey(l).lexicographicallyPrecedes(names.sortKey(r))
            }
            return false
        }
        return DealAnalysisReport(groupBy: filter.groupBy, groups: groups.map { line($0.keys, $0.figures) }, total: line([], total))
    }

    static func line(_ keys: [Key], _ f: DealFigures) -> Line {
        Line(keys: keys, count: f.count, open: f.open, won: f.won, lost: f.lost,
             potential: Money.decimal(cents: f.potentialCents), wonAmount: Money.decimal(cents: f.wonCents),
             winRate: f.winRate, meanCycleDays: f.meanCycleDays)
    }

    static func table(_ report: DealAnalysisReport) -> ReportFormat.Table {
        let figures = ["count", "open", "won", "lost", "potential", "won_amount", "win_rate", "mean_cycle_days"]
        func cells(_ l: Line) -> [String?] {
            [String(l.count), String(l.open), String(l.won), String(l.lost), l.potential.description, l.wonAmount.description,
             l.winRate?.description, l.meanCycleDays?.description]
        }
        return ReportFormat.Table(
            filename: "deals.csv", header: report.groupBy.map(\.rawValue) + figures,
            rows: report.groups.map { $0.keys.map(\.name) + cells($0) })
    }
}
