import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/funnel`: the stage statistics of one deal kind summed per stage, over
/// the rows whose stage interval overlaps the period (DOMAIN.md §6).
struct FunnelReport: Content {
    struct Stage: Content, Equatable {
        var stageId: UUID
        var name: String
        var order: Int
        var reached: Int
        var won: Int
        var lost: Int
        var open: Int
        var wonAmount: Decimal
        var lostAmount: Decimal
        var openAmount: Decimal
        var meanDurationDays: Decimal?
        var conversionToNext: Decimal?
    }

    struct Filter: Sendable {
        var kindID: UUID?
        var from: CalendarDate?
        var to: CalendarDate?
        var responsibleID: UUID?
    }

    var kindId: UUID?
    var kindName: String?
    var stages: [Stage]

    /// One stage's rows with one result.
    private struct Row: Decodable {
        var stage_id: UUID
        var result: String
        var n: Int
        var cents: Int64?
        var days: Int64?
        var closed: Int
    }

    private struct Totals {
        var reached = 0, won = 0, lost = 0, open = 0
        var wonCents: Int64 = 0, lostCents: Int64 = 0, openCents: Int64 = 0
        var days: Int64 = 0, closed = 0

        mutating func add(_ row: Row) {
            reached += row.n
            days += row.days ?? 0
            closed += row.closed
            switch StageResult(rawValue: row.result) {
            case .won: won += row.n; wonCents +| (row.cents ?? 0)
            case .lost: lost += row.n; lostCents +| (row.cents ?? 0)
            case .open, nil: open += row.n; openCents +| (row.cents ?? 0)
            }
        }
    }

    /// Without a kind, the first staged kind by name.
    static func make(_ filter: Filter, scope: AccessScope, zone: TimeZone, on db: any Database) async throws -> FunnelReport {
        let kind: DealKind?
        if let id = filter.kindID {
            guard let found = try await DealKind.find(id, on: db) else { throw FieldErrors("kindId", "names a deal kind that does not exist") }
            kind = found
        } else {
            kind = try await DealKind.query(on: db).filter(\.$type != .free).filter(\.$deletionMark == false).sort(\.$name).first()
        }
        guard let kind, let kindID = kind.id else { return FunnelReport(kindId: nil, kindName: nil, stages: []) }
        let stages = try await DealStage.query(on: db).filter(\.$kindID == kindID).sort(\.$position).all()
        var byStage: [UUID: Totals] = [:]
        for row in try await rows(kind: kindID, filter, scope: scope, zone: zone, on: db.sql) { byStage[row.stage_id, default: Totals()].add(row) }
        let reached = try stages.map { byStage[try $0.requireID()]?.reached ?? 0 }
        let conversions = Funnel.conversions(reached: reached)
        return FunnelReport(kindId: kindID, kindName: kind.name, stages: try stages.enumerated().map { index, stage in
            let t = byStage[try stage.requireID()] ?? Totals()
            return Stage(stageId: try stage.requireID(), name: stage.name, order: stage.position,
                         reached: t.reached, won: t.won, lost: t.lost, open: t.open,
                         wonAmount: Money.decimal(cents: t.wonCents), lostAmount: Money.decimal(cents: t.lostCents),
                         openAmount: Money.decimal(cents: t.openCents),
                         meanDurationDays: t.closed == 0 ? nil : Funnel.rounded(Decimal(t.days) / Decimal(t.closed), scale: 1),
                         conversionToNext: conversions[index])
        })
    }

    /// One pass over the funnel index of the kind's stage rows, grouped in the index's order by
    /// stage and result, leaving out deals marked for deletion and deals the user may not see;
    /// durations of closed rows only (an open row has none yet).
    private static func rows(kind: UUID, _ filter: Filter, scope: AccessScope, zone: TimeZone,
                             on sql: any SQLDatabase) async throws -> [Row] {
        var query = SQLQueryString("""
            SELECT r.stage_id, r.result, COUNT(*) AS n, CAST(SUM(r.potential_cents) AS BIGINT) AS cents,
                   CAST(SUM(r.duration_days) AS BIGINT) AS days, COUNT(r.duration_days) AS closed
            FROM deal_stage_rows r
            WHERE r.kind_id = \(bind: kind)
              AND r.deal_id NOT IN (SELECT id FROM deals WHERE deletion_mark = \(SQLLiteral.boolean(true)))
            """)
        if let from = filter.from {
            query.appendInterpolation(raw: " AND (r.end_at IS NULL OR r.end_at >= ")
            query.appendInterpolation(bind: from.start(in: zone))
            query.appendInterpolation(raw: ")")
        }
        if let to = filter.to {
            query.appendInterpolation(raw: " AND r.start_at < ")
            query.appendInterpolation(bind: to.next.start(in: zone))
        }
        query.and("r.responsible_id", "=", filter.responsibleID)
        if let visible = scope.partnerVisible(SQLColumn("partner_id", table: "d")) {
            query.appendInterpolation(raw: " AND r.deal_id IN (SELECT d.id FROM deals d WHERE ")
            query.appendInterpolation(visible)
            query.appendInterpolation(raw: ")")
        }
        query.appendInterpolation(raw: " GROUP BY r.stage_id, r.result")
        return try await sql.raw(query).all(decoding: Row.self)
    }

    static func table(_ report: FunnelReport) -> ReportFormat.Table {
        ReportFormat.Table(
            filename: "funnel.csv",
            header: ["order", "stage", "reached", "won", "lost", "open", "won_amount", "lost_amount", "open_amount",
                     "mean_duration_days", "conversion_to_next"],
            rows: report.stages.map { s in
                [String(s.order), s.name, String(s.reached), String(s.won), String(s.lost), String(s.open),
                 s.wonAmount.description, s.lostAmount.description, s.openAmount.description, s.meanDurationDays?.description, s.conversionToNext?.description]
            })
    }
}
