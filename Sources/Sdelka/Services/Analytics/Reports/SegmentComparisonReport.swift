import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/segments-compare?segmentIds=a,b&from=&to=` (Сравнение сегментов,
/// DOMAIN.md §6): per segment its partners; deals open, won and lost and their potential
/// (deals started in the period); sales (revenue, gross profit, documents in the period); each
/// also per partner; and, with claims switched on, the claims of the period and the satisfied
/// share of those closed. Only members the user may see count.
struct SegmentComparisonReport: Content {
    struct Figures: Content, Equatable {
        var dealsOpen: Decimal
        var dealsWon: Decimal
        var dealsLost: Decimal
        var potentialOpen: Decimal
        var potentialWon: Decimal
        var potentialLost: Decimal
        var revenue: Decimal
        var grossProfit: Decimal
        var salesCount: Decimal
    }

    struct Line: Content, Equatable {
        var segmentId: UUID
        var name: String
        var kind: SegmentKind
        var partners: Int
        var totals: Figures
        /// Each figure ÷ partners, two decimals; nil for an empty segment.
        var perPartner: Figures?
        /// Claims dated in the period; nil while claims are switched off.
        var claims: Int?
        /// Percent of the period's closed claims that were satisfied; nil when none closed.
        var claimsSatisfiedShare: Decimal?
    }

    struct Filter: Sendable {
        var segmentIDs: [UUID]?
        var from: CalendarDate?
        var to: CalendarDate?
    }

    var segments: [Line]

    /// Without `segmentIds`, the live segments by name, at most this many.
    static let maxSegments = 20

    static func make(_ filter: Filter, service: SegmentService) async throws -> SegmentComparisonReport {
        let db = service.db
        var query = Segment.query(on: db).filter(\.$deletionMark == false)
        if let ids = filter.segmentIDs { query = query.filter(\.$id ~~ ids) }
        var segments = try await query.sort(\.$name).range(0..<maxSegments).all()
        // In the order asked for.
        if let ids = filter.segmentIDs { segments.sort { (ids.firstIndex(of: $0.id!) ?? 0) < (ids.firstIndex(of: $1.id!) ?? 0) } }
        var lines: [Line] = []
        let claimsOn = try await SettingsStore.features(on: db).isEnabled(.claims)
        for segment in segments {
            let partners = try await service.memberCount(segment)
            let member = try SegmentMembership.predicate(segment, column: SQLColumn("partner_id", table: "x"), today: service.today, timeZone: service.timeZone)
            let totals = try await figures(member: member, filter, scope: service.scope, on: db.sql)
            let claims = claimsOn ? try await claimFigures(member: member, filter, scope: service.scope, on: db.sql) : nil
            lines.append(Line(segmentId: try segment.requireID(), name: segment.name, kind: segment.kind, partners: partners,
                              totals: totals, perPartner: partners == 0 ? nil : divided(totals, by: partners),
                              claims: claims?.count, claimsSatisfiedShare: claims?.satisfiedShare))
        }
        return SegmentComparisonReport(segments: lines)
    }

    private static func figures(member: any SQLExpression, _ filter: Filter, scope: AccessScope, on sql: any SQLDatabase) async throws -> Figures {
        var deals = SQLQueryString("""
            SELECT x.status, COUNT(*) AS n, CAST(SUM(COALESCE(x.potential_cents, 0)) AS BIGINT) AS cents FROM deals x WHERE x.deletion_mark = 
            """)
        deals.appendInterpolation(SQLLiteral.boolean(false))
        var sales = SQLQueryString("""
            SELECT CAST(SUM(x.revenue_cents) AS BIGINT) AS revenue, CAST(SUM(x.cost_cents) AS BIGINT) AS cost,
                   CAST(SUM(x.sales_count) AS BIGINT) AS documents FROM partner_sales_daily x WHERE 1 = 1
            """)
        func restrict(_ q: inout SQLQueryString, date column: String) {
            q.appendInterpolation(raw: " AND ")
            q.appendInterpolation(member)
            q.andVisible(scope, partner: SQLColumn("partner_id", table: "x"))
            q.and("x.\(column)", ">=", filter.from?.description)
            q.and("x.\(column)", "<=", filter.to?.description)
        }
        restrict(&deals, date: "start_date")
        deals.appendInterpolation(raw: " GROUP BY x.status")
        restrict(&sales, date: "day")
        var f = Figures(dealsOpen: 0, dealsWon: 0, dealsLost: 0, potentialOpen: 0, potentialWon: 0, potentialLost: 0, revenue: 0, grossProfit: 0, salesCount: 0)
        for row in try await sql.raw(deals).all() {
            let n = Decimal(try row.decode(column: "n", as: Int.self)), cents = Money.decimal(cents: try row.decode(column: "cents", as: Int64?.self) ?? 0)
            switch DealStatus(rawValue: try row.decode(column: "status", as: String.self)) {
            case .open: f.dealsOpen = n; f.potentialOpen = cents
            case .won: f.dealsWon = n; f.potentialWon = cents
            case .lost: f.dealsLost = n; f.potentialLost = cents
            case nil: break
            }
        }
        if let row = try await sql.raw(sales).first() {
            let revenue = try row.decode(column: "revenue", as: Int64?.self) ?? 0, cost = try row.decode(column: "cost", as: Int64?.self) ?? 0
            f.revenue = Money.decimal(cents: revenue)
            f.grossProfit = Money.decimal(cents: revenue - cost)
            f.salesCount = Decimal(try row.decode(column: "documents", as: Int64?.self) ?? 0)
        }
        return f
    }

    private static func claimFigures(member: any SQLExpression, _ filter: Filter, scope: AccessScope, on sql: any SQLDatabase) async throws -> ClaimFigures {
        var query = SQLQueryString("""
            SELECT COUNT(*) AS n, CAST(SUM(CASE WHEN x.status = 'satisfied' THEN 1 ELSE 0 END) AS BIGINT) AS satisfied,
                   CAST(SUM(CASE WHEN x.status = 'notSatisfied' THEN 1 ELSE 0 END) AS BIGINT) AS failed
            FROM claims x WHERE x.deletion_mark = 
            """)
        query.appendInterpolation(SQLLiteral.boolean(false))
        query.appendInterpolation(raw: " AND ")
        query.appendInterpolation(member)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "x"))
        query.and("x.date", ">=", filter.from?.description)
        query.and("x.date", "<=", filter.to?.description)
        struct Row: Decodable { var n: Int64; var satisfied: Int64?; var failed: Int64? }
        let row = try await sql.raw(query).first(decoding: Row.self)
        return ClaimFigures(count: Int(clamping: row?.n ?? 0), satisfied: Int(clamping: row?.satisfied ?? 0), notSatisfied: Int(clamping: row?.failed ?? 0))
    }

    static func divided(_ f: Figures, by partners: Int) -> Figures {
        let n = Decimal(partners)
        func d(_ value: Decimal) -> Decimal { Funnel.rounded(value / n, scale: 2) }
        return Figures(dealsOpen: d(f.dealsOpen), dealsWon: d(f.dealsWon), dealsLost: d(f.dealsLost),
                       potentialOpen: d(f.potentialOpen), potentialWon: d(f.potentialWon), potentialLost: d(f.potentialLost),
                       revenue: d(f.revenue), grossProfit: d(f.grossProfit), salesCount: d(f.salesCount))
    }

    static func cells(_ f: Figures?) -> [String?] {
        guard let f else { return Array(repeating: nil, count: 9) }
        return [f.dealsOpen, f.dealsWon, f.dealsLost, f.potentialOpen, f.potentialWon, f.potentialLost, f.revenue, f.grossProfit, f.salesCount].map(\.description)
    }

    static func table(_ report: SegmentComparisonReport) -> ReportFormat.Table {
        let figures = ["deals_open", "deals_won", "deals_lost", "potential_open", "potential_won", "potential_lost", "revenue", "gross_profit", "sales_count"]
        return ReportFormat.Table(
            filename: "segments-compare.csv", header: ["segment", "partners", "per"] + figures + ["claims", "claims_satisfied_share"],
            rows: report.segments.flatMap { l -> [[String?]] in
                let claims: [String?] = [l.claims.map(String.init), l.claimsSatisfiedShare?.description]
                let segment: [String?] = [l.name, String(l.partners), "segment"] + cells(l.totals) + claims
                let partner: [String?] = [l.name, String(l.partners), "partner"] + cells(l.perPartner) + [nil, nil]
                return [segment, partner]
            })
    }
}
