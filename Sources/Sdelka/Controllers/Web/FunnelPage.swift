import Fluent
import SdelkaCore
import Vapor

/// The sales funnel page: a deal kind's stages as centred bars split into won, lost and open,
/// the conversion to the next stage between them, and the figures in a table.
enum FunnelPage {
    struct Row: Encodable, Sendable {
        var order: Int
        var name: String
        var reached: Int
        var won: Int
        var lost: Int
        var open: Int
        var wonAmount: String
        var lostAmount: String
        var openAmount: String
        var meanDays: String
        var conversion: String
    }

    struct Body: Encodable, Sendable {
        var kinds: [FormOption]
        var responsibles: [FormOption]
        var from: String
        var to: String
        var bars: [ReportCharts.FunnelBar]
        var chartHeight: Int
        var rows: [Row]
        var exportHref: String
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        let filter = try FunnelReport.filter(req)
        let report = try await FunnelReport.make(filter, scope: try await req.accessScope(), zone: req.application.sdelka.timeZone, on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let kinds = try await DealKind.query(on: req.db).filter(\.$type != .free).filter(\.$deletionMark == false).sort(\.$name).all()
        let users = try await ReferenceNames.load(req).users
        let money = { (value: Decimal) in RussianFormat.money(cents: Money.cents(value) ?? 0) }
        let body = Body(
            kinds: FormOptions.make(kinds.map { ($0.id!.uuidString, $0.name) }, selected: report.kindId?.uuidString),
            responsibles: ReferenceNames.options(users, selected: filter.responsibleID, blank: t["filter_any"] ?? "—"),
            from: filter.from?.description ?? "", to: filter.to?.description ?? "",
            bars: ReportCharts.funnel(report.stages, names: (t["stage_result_won"] ?? "won", t["stage_result_lost"] ?? "lost", t["stage_result_open"] ?? "open")),
            chartHeight: report.stages.count * ReportCharts.funnelRow + 10,
            rows: report.stages.map { s in
                Row(order: s.order, name: s.name, reached: s.reached, won: s.won, lost: s.lost, open: s.open,
                    wonAmount: money(s.wonAmount), lostAmount: money(s.lostAmount), openAmount: money(s.openAmount),
                    meanDays: s.meanDurationDays.map { "\($0)".replacingOccurrences(of: ".", with: ",") } ?? "—",
                    conversion: s.conversionToNext.map { RussianFormat.percent(Funnel.rounded($0 * 100, scale: 1)) } ?? "—")
            },
            exportHref: "/api/v1/reports/funnel")
        return try await WebPage.render("funnel", titleKey: "report_funnel", page: body, for: req)
    }
}
