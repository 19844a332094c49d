import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/survey-templates` and `/api/v1/surveys`, behind the `surveys` switch: templates,
/// campaigns (start, close, invite), questionnaires and their answers, and the results.
enum SurveysController {
    static func register(on routes: any RoutesBuilder) {
        let templates = routes.grouped("survey-templates")
        templates.get(use: templateIndex)
        RecordResource<SurveyTemplateService>.register(on: templates)
        let surveys = routes.grouped("surveys")
        surveys.get(use: index)
        RecordResource<SurveyService>.register(on: surveys)
        surveys.post(":id", "start", use: start)
        surveys.post(":id", "close", use: close)
        surveys.post(":id", "invite", use: invite)
        surveys.get(":id", "questionnaires", use: questionnaires)
        surveys.put(":id", "questionnaires", ":qid", "answers", use: answer)
        routes.get("reports", "surveys", ":id", use: report)
    }

    @Sendable static func templateIndex(req: Request) async throws -> PageDTO<SurveyTemplateDTO> {
        let query = try await req.service(SurveyTemplateService.self).list(q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        return try await PageRequest(req).fetch(query) { try SurveyTemplateDTO($0) }
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<SurveyDTO> {
        var params = QueryParameters(req)
        let status = params.oneOf("status", Survey.Status.self)
        try params.check()
        let query = try await req.service(SurveyService.self).list(q: req.text("q"), status: status, includeDeleted: req.flag("includeDeleted"))
        return try await PageRequest(req).fetch(query) { try SurveyDTO($0) }
    }

    struct Started: Content { var survey: SurveyDTO; var questionnaires: Int }

    @Sendable static func start(req: Request) async throws -> Started {
        try req.require(.editRecords)
        let (survey, service) = try await req.record(SurveyService.self)
        let count = try await service.start(survey, expectedVersion: req.query[Int.self, at: "version"])
        return Started(survey: try SurveyDTO(survey), questionnaires: count)
    }

    @Sendable static func close(req: Request) async throws -> SurveyDTO {
        try req.require(.editRecords)
        let (survey, service) = try await req.record(SurveyService.self)
        try await service.close(survey, expectedVersion: req.query[Int.self, at: "version"])
        return try SurveyDTO(survey)
    }

    struct Invited: Content { var sent: Int; var skipped: Int }

    @Sendable static func invite(req: Request) async throws -> Invited {
        struct Body: Content { var channel: SurveyInvitations.Channel }
        try req.require(.editRecords)
        let (survey, _) = try await req.record(SurveyService.self)
        let body = try req.content.decode(Body.self)
        let result = try await SurveyInvitations(context: req.serviceContext()).send(survey, channel: body.channel, base: req.siteBase)
        return Invited(sent: result.sent, skipped: result.skipped)
    }

    /// The survey's questionnaires of the partners the user may see, with their links;
    /// `Accept: text/csv` gives respondent, address and link for sending elsewhere.
    @Sendable static func questionnaires(req: Request) async throws -> Response {
        let (survey, _) = try await req.record(SurveyService.self)
        let context = try await req.serviceContext()
        if ReportFormat.wantsCSV(req) {
            return try await SurveyLinks.csv(survey, context: context, base: req.siteBase)
        }
        var params = QueryParameters(req)
        let status = params.oneOf("status", Questionnaire.Status.self)
        try params.check()
        let query = QuestionnaireService(context: context).scoped(try survey.requireID())
        if let status { query.filter(\.$status == status) }
        let base = req.siteBase
        let page = try await PageRequest(req).fetch(query.sort(\.$createdAt).sort(\.$id)) { try QuestionnaireService.dto($0, base: base) }
        return try await page.encodeResponse(for: req)
    }

    /// A manager's interview: the answers as the respondent gave them; the first is recorded
    /// as a meeting with the client.
    @Sendable static func answer(req: Request) async throws -> QuestionnaireDTO {
        try req.require(.editRecords)
        let (survey, _) = try await req.record(SurveyService.self)
        let service = QuestionnaireService(context: try await req.serviceContext())
        let questionnaire = try await service.find(req.idParameter("qid"), of: survey.requireID())
        try await service.submit(questionnaire, of: survey, answers: try req.content.decode(AnswersInput.self).answers, interview: true)
        return try QuestionnaireService.dto(questionnaire, base: req.siteBase)
    }

    /// JSON, or CSV with `Accept: text/csv`.
    @Sendable static func report(req: Request) async throws -> Response {
        let (survey, _) = try await req.record(SurveyService.self)
        let report = try await SurveyReport.make(survey, try SurveyReport.filter(req), context: req.serviceContext())
        return try await ReportFormat.respond(req, report, table: SurveyReport.table)
    }
}
