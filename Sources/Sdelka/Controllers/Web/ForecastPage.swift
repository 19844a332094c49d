import Fluent
import SdelkaCore
import Vapor

/// The forecast page: per expected close month a column of the open deals' potential, its
/// weighted part (potential × probability) in green; the months and month × responsible below.
enum ForecastPage {
    struct Row: Encodable, Sendable {
        var month: String
        var responsible: String
        var count: Int
        var potential: String
        var weighted: String
        var probability: String
    }

    struct Body: Encodable, Sendable {
        var kinds: [FormOption]
        var responsibles: [FormOption]
        var from: String
        var to: String
        var trend: DealAnalysisPage.Trend
        var months: [Row]
        var byResponsible: [Row]
        var total: Row
        var exportHref: String
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.reports.component, SitePage.forecast.component, use: show)
        routes.get(Site.reports.component, SitePage.forecastCSV.component, use: csv)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        let filter = try ForecastReport.filter(req)
        let report = try await ForecastReport.make(filter, scope: try await req.accessScope(), on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let any = t["filter_any"] ?? "—", noDate = t["forecast_no_date"] ?? "—"
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        let users = try await ReferenceNames.load(req).users
        let money = DealAnalysisPage.money
        func row(_ m: ForecastReport.Month) -> Row {
            Row(month: m.month.map(PartnerSalesPanel.label) ?? noDate, responsible: m.responsible.map { $0.isEmpty ? "—" : $0 } ?? "",
                count: m.count, potential: money(m.potential), weighted: money(m.weighted),
                probability: m.meanProbability.map(RussianFormat.percent) ?? "—")
        }
        let dated = report.months.filter { $0.month != nil }
        let chart = ReportCharts.columns(dated.map { m in
            let weighted = Money.cents(m.weighted) ?? 0, potential = Money.cents(m.potential) ?? 0
            let label = PartnerSalesPanel.label(m.month ?? "")
            return (label, "\(label): \(money(m.weighted)) / \(money(m.potential))", [(weighted, "won"), (potential - weighted, "open")])
        })
        let body = Body(
            kinds: FormOptions.make(kinds.map { ($0.id!.uuidString, $0.name) }, selected: filter.kindID?.uuidString, blank: any),
            responsibles: ReferenceNames.options(users, selected: filter.responsibleID, blank: any),
            from: filter.from?.description ?? "", to: filter.to?.description ?? "",
            trend: .init(columns: chart.columns, width: chart.width, caption: t["report_forecast"] ?? ""),
            months: report.months.map(row), byResponsible: report.byResponsible.map(row), total: row(report.total),
            exportHref: req.link(to: Site.reports.path(.forecastCSV), dropping: []))
        return try await WebPage.render("forecast", titleKey: "report_forecast", page: body, for: req)
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await ForecastReport.make(try ForecastReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, csv: true, table: ForecastReport.table)
    }
}
