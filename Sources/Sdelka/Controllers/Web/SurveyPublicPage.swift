import Fluent
import SdelkaCore
import Vapor

/// `/s/{token}`: the respondent's own questionnaire, without signing in — in Russian, or in
/// English with `?lang=en`. A wrong token and a survey no longer active both answer 404,
/// alike. A second submission corrects the first until the survey closes. The form posts
/// `q_<questionId>` fields; a client may post `{"answers":{…}}` as JSON instead.
enum SurveyPublicPage {
    struct Body: Encodable, Sendable {
        var title: String
        var action: String
        var thanks: Bool
        var csrf: Bool
        var formError: String?
        var questions: [SurveyForm.Question]
        var otherLanguage: DealPages.NamedLink
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get("s", ":token", use: show)
        routes.post("s", ":token", use: submit)
    }

    static func found(_ req: Request) async throws -> (Questionnaire, Survey) {
        guard let token = req.parameters.get("token"),
              let found = try await QuestionnaireService.byToken(token, on: req.db),
              try await SettingsStore.features(on: req.db).isEnabled(.surveys) else {
            throw NotFound("questionnaire")
        }
        return found
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (questionnaire, survey) = try await found(req)
        let answers = questionnaire.answers.flatMap { try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) } ?? [:]
        return try await render(req, survey: survey, answers: answers, errors: [:], thanks: req.query[String.self, at: "thanks"] != nil)
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let (questionnaire, survey) = try await found(req)
        let questions = SurveyQuestions.decode(survey.questions)
        let json = req.headers.contentType == .json
        let answers = json ? try req.content.decode(AnswersInput.self).answers : SurveyForm.answers(from: try PostedForm(req), questions: questions)
        let respondent = ServiceContext(db: req.db, author: ChangeAuthor(userID: nil, login: "respondent"), scope: .all, config: req.application.sdelka)
        do {
            try await QuestionnaireService(context: respondent).submit(questionnaire, of: survey, answers: answers, interview: false)
        } catch let errors as FieldErrors {
            // A client posting JSON reads the API's error shape, not a page.
            if json { return try SdelkaErrorMiddleware.json(.validation(errors)) }
            return try await render(req, survey: survey, answers: answers, errors: FormErrors.localize(errors.fields, req), thanks: false,
                                    status: .unprocessableEntity)
        }
        if json { return Response(status: .noContent) }
        return req.redirect(to: path(req, thanks: true), redirectType: .normal)
    }

    static func path(_ req: Request, thanks: Bool) -> String {
        var path = "/s/" + (req.parameters.get("token") ?? "")
        var query: [String] = []
        if let lang = req.query[String.self, at: "lang"], Language(rawValue: lang) != nil { query.append("lang=\(lang)") }
        if thanks { query.append("thanks=1") }
        if !query.isEmpty { path += "?" + query.joined(separator: "&") }
        return path
    }

    static func render(_ req: Request, survey: Survey, answers: [String: JSONValue], errors: [String: String], thanks: Bool,
                       status: HTTPStatus = .ok) async throws -> Response {
        let language = WebPage.language(req)
        let t = req.application.localizer.strings(language)
        let other: Language = language == .ru ? .en : .ru
        let body = Body(title: survey.name, action: path(req, thanks: false).replacingOccurrences(of: "?thanks=1", with: ""), thanks: thanks,
                        csrf: false, formError: errors.isEmpty ? nil : t["survey_fix_answers"],
                        questions: SurveyForm.questions(SurveyQuestions.decode(survey.questions), answers: answers, errors: errors, t: t),
                        otherLanguage: DealPages.NamedLink(href: "/s/\(req.parameters.get("token") ?? "")?lang=\(other.rawValue)",
                                                           label: other == .en ? "English" : "Русский"))
        return try await WebPage.render("survey-public", titleKey: "survey_public_title", page: body, for: req, status: status)
    }
}
