import Fluent
import SdelkaCore
import Vapor

/// «Отчеты»: the ABC/XYZ classification, the BCG matrix and the sales funnel in the web UI,
/// the same data as `/api/v1/reports/…` with SVG charts drawn on the server.
enum AnalyticsPages {
    static func register(on routes: any RoutesBuilder, deals: any RoutesBuilder, events: any RoutesBuilder, segments: any RoutesBuilder) {
        routes.get(Site.reports.component, use: hub)
        routes.get(Site.reports.component, SitePage.abcXYZ.component, use: ABCXYZPage.show)
        routes.get(Site.reports.component, SitePage.abcXYZCSV.component, use: ABCXYZPage.csv)
        routes.post(Site.reports.component, SitePage.classification.component, use: run)
        routes.get(Site.reports.component, SitePage.bcg.component, use: BCGPage.show)
        deals.get(Site.reports.component, SitePage.funnel.component, use: FunnelPage.show)
        deals.get(Site.reports.component, SitePage.lossReasons.component, use: LossReasonsPage.show)
        DealAnalysisPage.register(on: deals)
        ForecastPage.register(on: deals)
        MarketingEffectivenessPage.register(on: events)
        SegmentComparisonPage.register(on: segments)
    }

    struct Tab: Encodable, Sendable {
        var href: String
        var label: String
        var active: Bool
    }

    struct HubBody: Encodable, Sendable {
        var classification: Bool
        var funnel: Bool
        var marketing: Bool
        var segments: Bool
        var claims: Bool
        var competitors: Bool
        var runs: [RunLine]
    }

    struct RunLine: Encodable, Sendable {
        var date: String
        var classificationDate: String
        var partners: Int
        var durationMs: Int
        var by: String
    }

    /// The measures switched on, as tabs of a report page; nil when every one is off.
    static func measureTabs(_ req: Request, path: String, current: ClassificationMeasure?) async throws -> [Tab] {
        let features = try await SettingsStore.features(on: req.db)
        return features.classificationMeasures.map { measure in
            Tab(href: req.link(to: path, dropping: ["measure", "page", "abc", "xyz"], adding: [URLQueryItem(name: "measure", value: measure.rawValue)]),
                label: WebPage.text(req, "measure_\(measure.rawValue)"), active: measure == current)
        }
    }

    /// `measure` from the query if it is on, else the first one on.
    static func measure(_ req: Request) async throws -> ClassificationMeasure? {
        let features = try await SettingsStore.features(on: req.db)
        let enabled = features.classificationMeasures
        if let raw = req.query[String.self, at: "measure"], let chosen = ClassificationMeasure(rawValue: raw), enabled.contains(chosen) {
            return chosen
        }
        return enabled.first
    }

    @Sendable static func hub(req: Request) async throws -> Response {
        _ = try req.user
        let features = try await SettingsStore.features(on: req.db)
        let runs = try await ClassificationStore.runs(limit: 12, on: req.db.sql)
        let system = WebPage.text(req, "schedule_author")
        let logins = try await User.query(on: req.db).all().reduce(into: [UUID: String]()) { $0[$1.id!] = $1.login }
        let body = HubBody(
            classification: !features.classificationMeasures.isEmpty,
            funnel: features.isEnabled(.deals),
            marketing: features.isEnabled(.marketingEvents),
            segments: features.isEnabled(.segments),
            claims: features.isEnabled(.claims),
            competitors: features.isEnabled(.competitorIntel),
            runs: runs.map {
                RunLine(date: RussianFormat.date($0.date.description), classificationDate: RussianFormat.date($0.classificationDate.description),
                        partners: $0.partners, durationMs: $0.durationMs, by: $0.createdBy.flatMap { logins[$0] } ?? system)
            })
        return try await WebPage.render("reports", titleKey: "nav_reports", page: body, for: req)
    }

    /// The run form of the ABC/XYZ page: classifies as of the date given and shows the result.
    @Sendable static func run(req: Request) async throws -> Response {
        struct Form: Content { var date: String?; var measure: String? }
        let user = try req.require(.runClassification)
        let form = try req.content.decode(Form.self)
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone)
        guard let date = form.date.map({ $0.isEmpty ? today : CalendarDate(accepting: $0) }) ?? today else {
            return WebPage.redirect(req, to: Site.reports.path(.abcXYZ), flash: WebPage.text(req, "reason_must_be_a_date_yyyy_mm_dd"))
        }
        let run = try await ClassificationRunner(db: req.db, author: ChangeAuthor(user)).run(date: date)
        let measure = form.measure.flatMap(ClassificationMeasure.init(rawValue:)).map { "&measure=\($0.rawValue)" } ?? ""
        return WebPage.redirect(req, to: Site.reports.path(.abcXYZ) + "?date=\(run.date)\(measure)", flash: WebPage.text(req, "classification_done", [
            "date": RussianFormat.date(run.date.description), "partners": String(run.partners)]))
    }
}
