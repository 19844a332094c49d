import Fluent
import SdelkaCore
import Vapor

/// The claims analysis page: bars per cause (or guilty party, partner, product, month), the
/// table of figures, and claims by month with how they ended.
enum ClaimsReportPage {
    struct Row: Encodable, Sendable {
        var name: String
        var count: Int
        var amount: String
        var settled: String
        var satisfiedShare: String
        var meanDays: String
        var open: Int
    }

    struct Body: Encodable, Sendable {
        var tabs: [AnalyticsPages.Tab]
        var groupBy: String
        var from: String
        var to: String
        var bars: [ReportCharts.Bar]
        var chartHeight: Int
        var rows: [Row]
        var total: Row
        var trend: DealAnalysisPage.Trend
        var exportHref: String
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        let filter = try ClaimsReport.filter(req)
        let scope = try await req.accessScope()
        let report = try await ClaimsReport.make(filter, scope: scope, on: req.db)
        var monthly = filter
        monthly.groupBy = .month
        let months = filter.groupBy == .month ? report : try await ClaimsReport.make(monthly, scope: scope, on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let none = t["claim_group_none"] ?? "—"
        func row(_ g: ClaimsReport.Group) -> Row {
            Row(name: g.name.isEmpty ? none : (filter.groupBy == .month ? PartnerSalesPanel.label(g.name) : g.name), count: g.count,
                amount: RussianFormat.money(cents: Money.cents(g.amount) ?? 0), settled: RussianFormat.money(cents: Money.cents(g.settledAmount) ?? 0),
                satisfiedShare: g.satisfiedShare.map(RussianFormat.percent) ?? "—",
                meanDays: g.meanDaysToClose.map { "\($0)".replacingOccurrences(of: ".", with: ",") } ?? "—", open: g.open)
        }
        let rows = report.groups.map(row)
        let tabs = ClaimsReport.GroupBy.allCases.map { by in
            AnalyticsPages.Tab(href: req.link(to: Site.reports.path(.claims), dropping: ["groupBy"], adding: [URLQueryItem(name: "groupBy", value: by.rawValue)]),
                               label: t["claims_by_\(by.rawValue)"] ?? by.rawValue, active: by == filter.groupBy)
        }
        let chart = ReportCharts.columns(months.groups.suffix(36).map { g in
            let label = PartnerSalesPanel.label(g.key ?? "")
            return (label, "\(label): \(g.count) · \(t["claim_status_satisfied"] ?? "") \(g.satisfied) · \(t["claim_status_notSatisfied"] ?? "") \(g.notSatisfied) · \(t["claim_filter_open"] ?? "") \(g.open)",
                    [(Int64(g.satisfied), "won"), (Int64(g.notSatisfied), "lost"), (Int64(g.open), "open")])
        })
        let body = Body(
            tabs: tabs, groupBy: filter.groupBy.rawValue, from: filter.from?.description ?? "", to: filter.to?.description ?? "",
            bars: ReportCharts.bars(report.groups.prefix(30).map { g in
                let name = g.name.isEmpty ? none : (filter.groupBy == .month ? PartnerSalesPanel.label(g.name) : g.name)
                return (name, g.count, "\(g.count) · \(RussianFormat.money(cents: Money.cents(g.amount) ?? 0))")
            }),
            chartHeight: max(min(report.groups.count, 30), 1) * ReportCharts.barsRow,
            rows: rows, total: row(report.total),
            trend: DealAnalysisPage.Trend(columns: chart.columns, width: chart.width, caption: t["claims_by_month"] ?? ""),
            exportHref: req.link(to: Site.reports.path(.claimsCSV), dropping: []))
        return try await WebPage.render("claims-report", titleKey: "report_claims", page: body, for: req)
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await ClaimsReport.make(try ClaimsReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, csv: true, table: ClaimsReport.table)
    }
}
