import Fluent
import SdelkaCore
import Vapor

/// `POST /api/v1/classification/run`, `GET /api/v1/classification/runs` and the reports read
/// from the history: `GET /api/v1/reports/abc-xyz` and `/reports/bcg`.
enum ClassificationController {
    static func register(on routes: any RoutesBuilder) {
        routes.post("classification", "run", use: run)
        routes.get("classification", "runs", use: runs)
        routes.get("reports", "abc-xyz", use: abcXYZ)
        routes.get("reports", "bcg", use: bcg)
    }

    @Sendable static func run(req: Request) async throws -> Response {
        struct Body: Content { var date: CalendarDate? }
        let user = try req.require(.runClassification)
        let body = req.body.data == nil ? Body() : try req.content.decode(Body.self)
        let date = body.date ?? CalendarDate(Date(), in: req.application.sdelka.timeZone)
        let run = try await ClassificationRunner(db: req.db, author: ChangeAuthor(user)).run(date: date)
        return try await run.encodeResponse(status: .created, for: req)
    }

    @Sendable static func runs(req: Request) async throws -> [ClassificationRunDTO] {
        _ = try req.user
        var params = QueryParameters(req)
        let measure = params.oneOf("measure", ClassificationMeasure.self)
        try params.check()
        return try await ClassificationStore.runs(measure: measure, on: req.db.sql)
    }

    /// `measure` (revenue by default) and `date` from the query; a switched-off measure is 404.
    static func reportParameters(_ req: Request) async throws -> (ClassificationMeasure, CalendarDate?) {
        var params = QueryParameters(req)
        let measure = params.oneOf("measure", ClassificationMeasure.self) ?? .revenue
        let date = params.date("date")
        try params.check()
        guard try await SettingsStore.features(on: req.db).isEnabled(measure.feature) else {
            throw APIError.featureDisabled(measure.feature)
        }
        return (measure, date)
    }

    @Sendable static func abcXYZ(req: Request) async throws -> Response {
        _ = try req.user
        let (measure, date) = try await reportParameters(req)
        var params = QueryParameters(req)
        let abc = params.oneOf("abc", ABCClass.self), xyz = params.oneOf("xyz", XYZClass.self)
        try params.check()
        let paged = req.query[String.self, at: "page"] != nil || req.query[String.self, at: "per"] != nil
        let report = try await ClassificationReports.abcXYZ(measure: measure, date: date, scope: try await req.accessScope(),
                                                            abc: abc, xyz: xyz, page: paged ? try PageRequest(req) : nil, on: req.db.sql)
        return try await ReportFormat.respond(req, report, table: ClassificationReports.table)
    }

    @Sendable static func bcg(req: Request) async throws -> Response {
        _ = try req.user
        let (measure, date) = try await reportParameters(req)
        let report = try await BCGReport.make(measure: measure, date: date, scope: try await req.accessScope(), on: req.db.sql)
        return try await ReportFormat.respond(req, report, table: BCGReport.table)
    }
}
