import Fluent
import SdelkaCore
import Vapor

/// The segment comparison page: revenue per partner of each segment as bars, then every
/// figure in total and per partner.
enum SegmentComparisonPage {
    struct Choice: Encodable, Sendable { var id: UUID; var name: String; var checked: Bool }
    struct Row: Encodable, Sendable {
        var name: String
        var partners: Int
        var per: String
        var deals: String
        var potentialOpen: String
        var potentialWon: String
        var potentialLost: String
        var revenue: String
        var grossProfit: String
        var salesCount: String
        /// "count · satisfied %" on the segment's line; empty per partner or while claims are off.
        var claims: String
    }

    struct Body: Encodable, Sendable {
        var choices: [Choice]
        var from: String
        var to: String
        var bars: [ReportCharts.Bar]
        var chartHeight: Int
        var rows: [Row]
        var claims: Bool
        var exportHref: String
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.reports.component, SitePage.segmentsCompare.component, use: show)
        routes.get(Site.reports.component, SitePage.segmentsCompareCSV.component, use: csv)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let filter = try SegmentComparisonReport.filter(req)
        let report = try await SegmentComparisonReport.make(filter, service: try await req.service(SegmentService.self))
        let t = req.application.localizer.strings(WebPage.language(req))
        let all = try await Segment.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        let shown = Set(report.segments.map(\.segmentId))
        let money = DealAnalysisPage.money
        func number(_ value: Decimal) -> String { "\(value)".replacingOccurrences(of: ".", with: ",") }
        func row(_ l: SegmentComparisonReport.Line, _ f: SegmentComparisonReport.Figures, per: String, claims: Bool = false) -> Row {
            Row(name: l.name, partners: l.partners, per: per,
                deals: "\(number(f.dealsOpen)) / \(number(f.dealsWon)) / \(number(f.dealsLost))",
                potentialOpen: money(f.potentialOpen), potentialWon: money(f.potentialWon), potentialLost: money(f.potentialLost),
                revenue: money(f.revenue), grossProfit: money(f.grossProfit), salesCount: number(f.salesCount),
                claims: claims ? (l.claims.map { "\($0) · " + (l.claimsSatisfiedShare.map { "\(number($0)) %" } ?? "—") } ?? "") : "")
        }
        let bars = ReportCharts.bars(report.segments.map { l in
            let perPartner = l.perPartner?.revenue ?? 0
            return (l.name, Int(Money.cents(max(perPartner, 0)) ?? 0), "\(money(perPartner)) · \(l.partners)")
        })
        let body = Body(
            choices: try all.map { Choice(id: try $0.requireID(), name: $0.name, checked: shown.contains(try $0.requireID())) },
            from: filter.from?.description ?? "", to: filter.to?.description ?? "",
            bars: bars, chartHeight: max(bars.count, 1) * ReportCharts.barsRow,
            rows: report.segments.flatMap { l in
                [row(l, l.totals, per: t["segment_total"] ?? "", claims: true)] + (l.perPartner.map { [row(l, $0, per: t["segment_per_partner"] ?? "")] } ?? [])
            },
            claims: report.segments.contains { $0.claims != nil },
            exportHref: req.link(to: Site.reports.path(.segmentsCompareCSV), dropping: []))
        return try await WebPage.render("segments-compare", titleKey: "report_segments_compare", page: body, for: req)
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        let report = try await SegmentComparisonReport.make(try SegmentComparisonReport.filter(req), service: try await req.service(SegmentService.self))
        return try await ReportFormat.respond(req, report, csv: true, table: SegmentComparisonReport.table)
    }
}
