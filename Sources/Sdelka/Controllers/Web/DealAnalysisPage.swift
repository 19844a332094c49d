import Fluent
import SdelkaCore
import Vapor

/// The deal-analysis page: up to three grouping levels, the deals started each month as
/// columns split into won, lost and open, and the groups in a table (CSV has every group).
enum DealAnalysisPage {
    struct Cell: Encodable, Sendable { var label: String; var text: String }

    struct Row: Encodable, Sendable {
        var keys: [Cell]
        var count: Int
        var open: Int
        var won: Int
        var lost: Int
        var potential: String
        var wonAmount: String
        var winRate: String
        var meanCycle: String
    }

    struct Trend: Encodable, Sendable {
        var columns: [ReportCharts.Column]
        var width: Int
        var caption: String
    }

    struct Body: Encodable, Sendable {
        var levels: [[FormOption]]
        var kinds: [FormOption]
        var responsibles: [FormOption]
        var from: String
        var to: String
        var headers: [String]
        var rows: [Row]
        var total: Row
        var shown: Int
        var groups: Int
        var trend: Trend
        var exportHref: String
    }

    /// Groups beyond this many are in the CSV only.
    static let shownGroups = 500

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.reports.component, SitePage.deals.component, use: show)
        routes.get(Site.reports.component, SitePage.dealsCSV.component, use: csv)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        let filter = try DealAnalysisReport.filter(req)
        let scope = try await req.accessScope()
        let report = try await DealAnalysisReport.make(filter, scope: scope, on: req.db)
        var byMonth = filter
        byMonth.groupBy = [.month]
        let months = try await DealAnalysisReport.make(byMonth, scope: scope, on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let any = t["filter_any"] ?? "—", none = t["loss_reason_none"] ?? "—"
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        let users = try await ReferenceNames.load(req).users
        let dimensions = DealDimension.allCases.map { ($0.rawValue, t["dimension_\($0.rawValue)"] ?? $0.rawValue) }
        let levels = (0..<DealDimension.maxLevels).map { level in
            FormOptions.make(dimensions, selected: level < filter.groupBy.count ? filter.groupBy[level].rawValue : nil, blank: level == 0 ? nil : "—")
        }
        func row(_ line: DealAnalysisReport.Line) -> Row {
            Row(keys: line.keys.map { key in
                    let label = t["dimension_\(key.dimension.rawValue)"] ?? key.dimension.rawValue
                    guard key.value != nil else { return Cell(label: label, text: none) }
                    switch key.dimension {
                    case .status: return Cell(label: label, text: t["deal_status_\(key.name)"] ?? key.name)
                    case .month: return Cell(label: label, text: PartnerSalesPanel.label(key.name))
                    default: return Cell(label: label, text: key.name)
                    }
                },
                count: line.count, open: line.open, won: line.won, lost: line.lost,
                potential: money(line.potential), wonAmount: money(line.wonAmount),
                winRate: line.winRate.map(RussianFormat.percent) ?? "—",
                meanCycle: line.meanCycleDays.map { "\($0)".replacingOccurrences(of: ".", with: ",") } ?? "—")
        }
        let body = Body(
            levels: levels,
            kinds: FormOptions.make(kinds.map { ($0.id!.uuidString, $0.name) }, selected: filter.kindID?.uuidString, blank: any),
            responsibles: ReferenceNames.options(users, selected: filter.responsibleID, blank: any),
            from: filter.from?.description ?? "", to: filter.to?.description ?? "",
            headers: filter.groupBy.map { t["dimension_\($0.rawValue)"] ?? $0.rawValue },
            rows: report.groups.prefix(shownGroups).map(row), total: row(report.total),
            shown: min(report.groups.count, shownGroups), groups: report.groups.count,
            trend: trend(months, t),
            exportHref: req.link(to: Site.reports.path(.dealsCSV), dropping: []))
        return try await WebPage.render("deal-analysis", titleKey: "report_deals", page: body, for: req)
    }

    /// The deals started per month, the last 36 months that have any.
    static func trend(_ months: DealAnalysisReport, _ t: [String: String]) -> Trend {
        let lines = months.groups.filter { $0.keys.first?.value != nil }.suffix(36)
        let chart = ReportCharts.columns(lines.map { line in
            let label = PartnerSalesPanel.label(line.keys[0].name)
            let title = "\(label): \(line.count) · \(t["deal_status_won"] ?? "won") \(line.won) · \(t["deal_status_lost"] ?? "lost") \(line.lost)"
                + " · \(t["deal_status_open"] ?? "open") \(line.open)"
            return (label, title, [(Int64(line.won), "won"), (Int64(line.lost), "lost"), (Int64(line.open), "open")])
        })
        return Trend(columns: chart.columns, width: chart.width, caption: t["deals_by_month"] ?? "")
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await DealAnalysisReport.make(try DealAnalysisReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, csv: true, table: DealAnalysisReport.table)
    }

    static func money(_ value: Decimal) -> String { RussianFormat.money(cents: Money.cents(value) ?? 0) }
}
