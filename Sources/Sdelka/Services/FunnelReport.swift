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

    private struct Row: Decodable {
        var stage_id: UUID
        var reached: Int
        var won: Int
        var lost: Int
        var open: Int
        var won_cents: Int64?
        var lost_cents: Int64?
        var open_cents: Int64?
        var mean_days: Double?
    }

    /// Without a kind, the first staged kind by name.
    static func make(_ filter: Filter, scope: AccessScope, zone: TimeZone, on db: any Database) async throws -> FunnelReport {
        let kind: DealKind?
        if let id = filter.kindID {
            guard let found = try await DealKind.find(id, on: db) else { throw APIError.validation("kindId", "names a deal kind that does not exist") }
            kind = found
        } else {
            kind = try await DealKind.query(on: db).filter(\.$type != .free).filter(\.$deletionMark == false).sort(\.$name).first()
        }
        guard let kind, let kindID = kind.id else { return FunnelReport(kindId: nil, kindName: nil, stages: []) }
        let stages = try await DealStage.query(on: db).filter(\.$kindID == kindID).sort(\.$position).all()
        let rows = try await totals(kind: kindID, filter, scope: scope, zone: zone, on: db.sql)
        let byStage = Dictionary(uniqueKeysWithValues: rows.map { ($0.stage_id, $0) })
        let reached = try stages.map { byStage[try $0.requireID()]?.reached ?? 0 }
        let conversions = Funnel.conversions(reached: reached)
        return FunnelReport(kindId: kindID, kindName: kind.name, stages: try stages.enumerated().map { index, stage in
            let row = byStage[try stage.requireID()]
            return Stage(stageId: try stage.requireID(), name: stage.name, order: stage.position,
                         reached: row?.reached ?? 0, won: row?.won ?? 0, lost: row?.lost ?? 0, open: row?.open ?? 0,
                         wonAmount: Money.decimal(cents: row?.won_cents ?? 0), lostAmount: Money.decimal(cents: row?.lost_cents ?? 0),
                         openAmount: Money.decimal(cents: row?.open_cents ?? 0),
                         meanDurationDays: row?.mean_days.map { Funnel.rounded(Decimal($0), scale: 1) },
                         conversionToNext: conversions[index])
        })
    }

    /// One grouped pass over the kind's stage rows of deals the user may see; durations of
    /// closed rows only (an open row has none yet).
    private static func totals(kind: UUID, _ filter: Filter, scope: AccessScope, zone: TimeZone,
                               on sql: any SQLDatabase) async throws -> [Row] {
        var query = SQLQueryString("""
            SELECT r.stage_id, COUNT(*) AS reached,
              SUM(CASE WHEN r.result = 'won' THEN 1 ELSE 0 END) AS won,
              SUM(CASE WHEN r.result = 'lost' THEN 1 ELSE 0 END) AS lost,
              SUM(CASE WHEN r.result = 'open' THEN 1 ELSE 0 END) AS open,
              CAST(SUM(CASE WHEN r.result = 'won' THEN r.potential_cents ELSE 0 END) AS BIGINT) AS won_cents,
              CAST(SUM(CASE WHEN r.result = 'lost' THEN r.potential_cents ELSE 0 END) AS BIGINT) AS lost_cents,
              CAST(SUM(CASE WHEN r.result = 'open' THEN r.potential_cents ELSE 0 END) AS BIGINT) AS open_cents,
              CAST(AVG(r.duration_days) AS DOUBLE PRECISION) AS mean_days
            FROM deal_stage_rows r JOIN deals d ON d.id = r.deal_id
            WHERE r.kind_id = \(bind: kind) AND d.deletion_mark = \(SQLLiteral.boolean(false))
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
        if let responsible = filter.responsibleID {
            query.appendInterpolation(raw: " AND r.responsible_id = ")
            query.appendInterpolation(bind: responsible)
        }
        if let visible = scope.partnerVisible(SQLColumn("partner_id", table: "d")) {
            query.appendInterpolation(raw: " AND ")
            query.appendInterpolation(visible)
        }
        query.appendInterpolation(raw: " GROUP BY r.stage_id")
        return try await sql.raw(query).all(decoding: Row.self)
    }

    static func table(_ report: FunnelReport) -> ReportFormat.Table {
        ReportFormat.Table(
            filename: "funnel.csv",
            header: ["order", "stage", "reached", "won", "lost", "open", "won_amount", "lost_amount", "open_amount",
                     "mean_duration_days", "conversion_to_next"],
            rows: report.stages.map { s in
                [String(s.order), s.name, String(s.reached), String(s.won), String(s.lost), String(s.open),
                 s.wonAmount.csv, s.lostAmount.csv, s.openAmount.csv, s.meanDurationDays?.csv, s.conversionToNext?.csv]
            })
    }
}

/// `GET /api/v1/reports/funnel?kindId=&from=&to=&responsibleId=`, behind the `deals` switch.
enum FunnelController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "funnel", use: funnel)
    }

    static func filter(_ req: Request) throws -> FunnelReport.Filter {
        var params = QueryParameters(req)
        let filter = FunnelReport.Filter(kindID: params.uuid("kindId"), from: params.date("from"), to: params.date("to"),
                                         responsibleID: params.uuid("responsibleId"))
        try params.check()
        return filter
    }

    @Sendable static func funnel(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await FunnelReport.make(try filter(req), scope: try await req.accessScope(),
                                                 zone: req.application.sdelka.timeZone, on: req.db)
        return try await ReportFormat.respond(req, report, table: FunnelReport.table)
    }
}
