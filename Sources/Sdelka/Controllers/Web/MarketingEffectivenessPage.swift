import Fluent
import SdelkaCore
import Vapor

/// The marketing-effectiveness page: gross profit per channel as bars with the ROI beside
/// them, then the events and the channels with every figure.
enum MarketingEffectivenessPage {
    struct Row: Encodable, Sendable {
        var name: String
        var channel: String
        var start: String
        var newPartners: Int
        var deals: Int
        var wonDeals: Int
        var wonClients: Int
        var revenue: String
        var grossProfit: String
        var cost: String
        var costPerWonClient: String
        var roi: String
    }

    struct Body: Encodable, Sendable {
        var from: String
        var to: String
        var bars: [ReportCharts.Bar]
        var chartHeight: Int
        var events: [Row]
        var channels: [Row]
        var exportHref: String
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.reports.component, SitePage.marketingEvents.component, use: show)
        routes.get(Site.reports.component, SitePage.marketingEventsCSV.component, use: csv)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        let filter = try MarketingEffectivenessReport.filter(req)
        let report = try await MarketingEffectivenessReport.make(filter, scope: try await req.accessScope(), on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let money = DealAnalysisPage.money, none = t["source_none"] ?? "—"
        func row(_ l: MarketingEffectivenessReport.Line) -> Row {
            Row(name: l.name.isEmpty ? none : l.name, channel: l.channel ?? "", start: l.plannedStart.map(RussianFormat.date) ?? "",
                newPartners: l.newPartners, deals: l.deals, wonDeals: l.wonDeals, wonClients: l.wonClients,
                revenue: money(l.revenue), grossProfit: money(l.grossProfit), cost: money(l.cost),
                costPerWonClient: l.costPerWonClient.map(money) ?? "—", roi: l.roi.map(RussianFormat.percent) ?? "—")
        }
        let charted = report.channels.filter { $0.grossProfit > 0 || $0.cost > 0 }
        let bars = ReportCharts.bars(charted.map { l in
            let cents = Int(Money.cents(max(l.grossProfit, 0)) ?? 0)
            return (l.name.isEmpty ? none : l.name, cents, "\(money(l.grossProfit)) · ROI \(l.roi.map(RussianFormat.percent) ?? "—")")
        })
        let body = Body(from: filter.from?.description ?? "", to: filter.to?.description ?? "",
                        bars: bars, chartHeight: max(bars.count, 1) * ReportCharts.barsRow,
                        events: report.events.map(row), channels: report.channels.map(row),
                        exportHref: req.link(to: Site.reports.path(.marketingEventsCSV), dropping: []))
        return try await WebPage.render("marketing-effectiveness", titleKey: "report_marketing", page: body, for: req)
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await MarketingEffectivenessReport.make(try MarketingEffectivenessReport.filter(req),
                                                                 scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, csv: true, table: MarketingEffectivenessReport.table)
    }
}
