import Fluent
import SdelkaCore
import Vapor

/// The loss-reasons page: lost deals per reason as bars, then by responsible and by client.
enum LossReasonsPage {
    struct Row: Encodable, Sendable {
        var name: String
        var reason: String
        var count: Int
        var potential: String
    }

    struct Body: Encodable, Sendable {
        var kinds: [FormOption]
        var from: String
        var to: String
        var bars: [ReportCharts.Bar]
        var chartHeight: Int
        var byResponsible: [Row]
        var byPartner: [Row]
    }

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        let filter = try LossReasonsReport.filter(req)
        let report = try await LossReasonsReport.make(filter, scope: try await req.accessScope(), on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let none = t["loss_reason_none"] ?? "—"
        let money = { (value: Decimal) in RussianFormat.money(cents: Money.cents(value) ?? 0) }
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        func rows(_ lines: [LossReasonsReport.Line]) -> [Row] {
            lines.map { Row(name: $0.name.isEmpty ? none : $0.name, reason: $0.reason.isEmpty ? none : $0.reason, count: $0.count, potential: money($0.potential)) }
        }
        let body = Body(
            kinds: FormOptions.make(kinds.map { ($0.id!.uuidString, $0.name) }, selected: filter.kindID?.uuidString, blank: t["filter_any"] ?? "—"),
            from: filter.from?.description ?? "", to: filter.to?.description ?? "",
            bars: ReportCharts.bars(report.reasons.map { ($0.reason.isEmpty ? none : $0.reason, $0.count, "\($0.count) · \(money($0.potential))") }),
            chartHeight: max(report.reasons.count, 1) * ReportCharts.barsRow,
            byResponsible: rows(report.byResponsible), byPartner: rows(report.byPartner))
        return try await WebPage.render("loss-reasons", titleKey: "report_loss_reasons", page: body, for: req)
    }
}
