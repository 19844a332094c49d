import Fluent
import SdelkaCore
import Vapor

/// The ABC/XYZ page: a run of the history by one measure, the count and share of every class,
/// the Pareto curve and the clients with their classes (filtered by class, paged).
enum ABCXYZPage {
    struct ClassCount: Encodable, Sendable {
        var letter: String
        var label: String = ""
        var count: Int
        var share: String
        var href: String
    }

    struct Row: Encodable, Sendable {
        var partnerId: UUID
        var code: String
        var name: String
        var abc: String
        var value: String
        var xyz: String
        var cv: String
    }

    struct Body: Encodable, Sendable {
        var measures: [AnalyticsPages.Tab]
        var measure: String
        var hasRun: Bool
        var canRun: Bool
        var today: String
        var date: String
        var window: String
        var xyzWindow: String
        var runs: [FormOption]
        var abc: [ClassCount]
        var xyz: [ClassCount]
        var pareto: ReportCharts.Pareto?
        var filter: String?
        var clearHref: String
        var items: [Row]
        var total: Int
        var exportHref: String
        var pager: Pager
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.user
        guard let measure = try await AnalyticsPages.measure(req) else { throw APIError.featureDisabled(.abcxyzRevenue) }
        let date = req.query[String.self, at: "date"].flatMap { CalendarDate(accepting: $0) }
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone)
        let tabs = try await AnalyticsPages.measureTabs(req, path: Site.reports.path(.abcXYZ), current: measure)
        let runs = try await ClassificationStore.runs(measure: measure, on: req.db.sql)
        guard !runs.isEmpty else {
            let body = Body(measures: tabs, measure: measure.rawValue, hasRun: false, canRun: user.role.can(.runClassification), today: today.description,
                            date: "", window: "", xyzWindow: "", runs: [], abc: [], xyz: [], pareto: nil, filter: nil, clearHref: "",
                            items: [], total: 0, exportHref: "", pager: Pager(req, page: 1, per: 50, total: 0))
            return try await WebPage.render("abc-xyz", titleKey: "report_abc_xyz", page: body, for: req)
        }
        let scope = try await req.accessScope()
        let abcFilter = req.query[String.self, at: "abc"].flatMap(ABCClass.init(rawValue:))
        let xyzFilter = req.query[String.self, at: "xyz"].flatMap(XYZClass.init(rawValue:))
        let page = try PageRequest(req)
        // One page of clients from the database; the counts, shares, total and curve from two small reads.
        let run = try await ClassificationReports.run(measure: measure, date: date, on: req.db.sql)
        let summary = try await ClassificationStore.summary(of: run.id, measure: measure, scope: scope, on: req.db.sql)
        let report = try await ClassificationReports.abcXYZ(of: run, measure: measure, scope: scope, abc: abcFilter, xyz: xyzFilter,
                                                            page: page, summary: summary, on: req.db.sql)
        let curve = try await ClassificationStore.values(of: run.id, measure: measure, scope: scope, on: req.db.sql)
        let totalValue = curve.map(\.value).saturatedSum
        func format(_ value: Decimal?) -> String {
            guard let value else { return "" }
            return measure == .salesCount ? "\(value)" : RussianFormat.money(cents: Money.cents(value) ?? 0)
        }
        func counts<C: RawRepresentable & Equatable>(_ letters: [C], of key: String, _ pick: (ClassificationStore.ClassTotal) -> String?) -> [ClassCount] where C.RawValue == String {
            letters.map { letter in
                let members = summary.filter { pick($0) == letter.rawValue }
                let sum = members.map { $0.total ?? 0 }.saturatedSum
                return ClassCount(letter: letter.rawValue, label: WebPage.text(req, "class_\(letter.rawValue)"), count: members.reduce(0) { $0 + $1.n },
                                  share: key == "abc" && totalValue > 0 && letter.rawValue.count == 1
                                    ? RussianFormat.percent(Funnel.rounded(Decimal(sum) * 100 / Decimal(totalValue), scale: 1)) : "",
                                  href: req.link(to: Site.reports.path(.abcXYZ), dropping: ["abc", "xyz", "page"], adding: [URLQueryItem(name: key, value: letter.rawValue)]))
            }
        }
        let abc = counts([ABCClass.A, .B, .C, .unclassified], of: "abc") { $0.abc }
        let body = Body(
            measures: tabs, measure: measure.rawValue, hasRun: true, canRun: user.role.can(.runClassification), today: today.description,
            date: RussianFormat.date(report.date.description),
            window: "\(RussianFormat.date(report.windowStart.description)) – \(RussianFormat.date(report.windowEnd.description))",
            xyzWindow: "\(RussianFormat.date(report.xyzWindowStart.description)) – \(RussianFormat.date(report.xyzWindowEnd.description))",
            runs: runs.map { FormOption(value: $0.date.description, label: RussianFormat.date($0.date.description), selected: $0.date == report.date) },
            abc: abc, xyz: counts([XYZClass.X, .Y, .Z, .unclassified], of: "xyz") { $0.xyz },
            pareto: ReportCharts.pareto(values: curve.map(\.value), classes: curve.map(\.abc)),
            filter: abcFilter.map { "ABC: \(WebPage.text(req, "class_\($0.rawValue)"))" } ?? xyzFilter.map { "XYZ: \(WebPage.text(req, "class_\($0.rawValue)"))" },
            clearHref: req.link(to: Site.reports.path(.abcXYZ), dropping: ["abc", "xyz", "page"]),
            items: report.items.map { item in
                Row(partnerId: item.partnerId, code: item.partnerCode ?? "", name: item.partnerName,
                    abc: item.abc.map { WebPage.text(req, "class_\($0.rawValue)") } ?? "—", value: format(item.abcValue),
                    xyz: item.xyz.map { WebPage.text(req, "class_\($0.rawValue)") } ?? "—",
                    cv: item.xyzValue.map { RussianFormat.percent($0) } ?? "")
            },
            total: report.total ?? 0,
            exportHref: req.link(to: Site.reports.path(.abcXYZCSV), dropping: ["page", "abc", "xyz"]),
            pager: Pager(req, page: page.page, per: page.per, total: report.total ?? 0))
        return try await WebPage.render("abc-xyz", titleKey: "report_abc_xyz", page: body, for: req)
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        _ = try req.user
        guard let measure = try await AnalyticsPages.measure(req) else { throw APIError.featureDisabled(.abcxyzRevenue) }
        let date = req.query[String.self, at: "date"].flatMap { CalendarDate(accepting: $0) }
        let report = try await ClassificationReports.abcXYZ(measure: measure, date: date, scope: try await req.accessScope(), on: req.db.sql)
        return try await ReportFormat.respond(req, report, csv: true, table: ClassificationReports.table)
    }
}
