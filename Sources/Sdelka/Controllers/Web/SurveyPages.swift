import Fluent
import SdelkaCore
import Vapor

/// Surveys in the web UI: the list; the card (its form while a draft, start, close, sending the
/// links, the links as CSV, the questionnaires with the interview form); the results page.
enum SurveyPages {
    static let forms = RecordFormPages<SurveyService>(
        section: .surveys,
        render: { req, record, form, errors, status in try await render(req, survey: record, form: form, errors: errors, status: status) },
        input: { req, form, _ in try await input(from: form, on: req.db) },
        clearable: ["from", "to"], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.surveys.component)
        group.get(use: list)
        forms.register(on: group)
        group.post(":id", SiteAction.start.component, use: start)
        group.post(":id", SiteAction.close.component, use: close)
        group.post(":id", SiteAction.invite.component, use: invite)
        group.get(":id", SiteAction.linksCSV.component, use: links)
        group.get(":id", SiteAction.results.component, use: SurveyResultsPage.show)
        group.get(":id", SiteAction.questionnaires.component, ":qid", use: interview)
        group.post(":id", SiteAction.questionnaires.component, ":qid", use: saveInterview)
    }

    struct Row: Encodable, Sendable { var id: UUID; var name: String; var status: String; var period: String; var deletionMark: Bool }
    struct ListBody: Encodable, Sendable { var items: [Row]; var canEdit: Bool; var q: String; var total: Int; var pager: Pager }

    @Sendable static func list(req: Request) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(SurveyService.self)
        let pageRequest = try PageRequest(req)
        let (total, surveys) = try await pageRequest.rows(service.list(q: req.text("q"), status: nil, includeDeleted: req.flag("includeDeleted")))
        let rows = try surveys.map { s in
            Row(id: try s.requireID(), name: s.name, status: t["survey_status_\(s.status.rawValue)"] ?? s.status.rawValue,
                period: [s.from, s.to].map { $0.map(RussianFormat.date) ?? "…" }.joined(separator: " – "), deletionMark: s.deletionMark)
        }
        return try await WebPage.render("survey-list", titleKey: "nav_surveys", page: ListBody(
            items: rows, canEdit: try req.user.role.can(.editRecords), q: req.text("q") ?? "", total: total,
            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total)), for: req)
    }

    static func input(from form: PostedForm, on db: any Database) async throws -> SurveyInput {
        var respondents = SurveyRespondentsDTO(segmentId: form.uuid("segmentId"), eventId: form.uuid("eventId"))
        let codes = SurveyTemplatePages.lines(form.text("partnerCodes"))
        if !codes.isEmpty {
            let found = try await Partner.query(on: db).filter(\.$code ~~ codes).filter(\.$deletionMark == false).all()
            let missing = codes.filter { code in !found.contains { $0.code == code } }
            if !missing.isEmpty { throw FieldErrors("partnerCodes", "names no partner with the code: " + missing.joined(separator: ", ")) }
            respondents.partnerIds = try found.map { try $0.requireID() }
        }
        return SurveyInput(name: form.text("name") ?? "", templateId: form.uuid("templateId"), from: form.text("from"), to: form.text("to"),
                           respondents: respondents.isEmpty && form.text("segmentId") == nil ? nil : respondents,
                           version: form.text("version").flatMap { Int($0) })
    }

    struct QuestionnaireRow: Encodable, Sendable {
        var id: UUID; var partner: String; var person: String; var status: String; var answered: Bool; var link: String
    }

    struct CardBody: Encodable, Sendable {
        var heading: String
        var action: String
        var id: UUID?
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var draft: Bool
        var active: Bool
        var status: String?
        var formError: String?
        var fields: [FormField]
        var invited: Int
        var answered: Int
        var questionnaires: [QuestionnaireRow]
        var history: [AuditPages.Row]
    }

    static func render(_ req: Request, survey: Survey?, form: PostedForm?, errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(SurveyService.self)
        let (dto, history) = try await StoredRecord.load(survey, service: service, req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let names = try await ReferenceNames.load(req)
        let templates = try await SurveyTemplate.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all().map { (try $0.requireID().uuidString, $0.name) }
        let events = names.features.isEnabled(.marketingEvents)
            ? try await MarketingEvent.query(on: req.db).filter(\.$deletionMark == false).sort(\.$plannedStart, .descending).range(0..<100).all()
                .map { (try $0.requireID().uuidString, $0.name) } : []
        var codes = ""
        if let ids = dto?.respondents.partnerIds, !ids.isEmpty {
            codes = try await Partner.query(on: req.db).filter(\.$id ~~ ids).all().compactMap(\.code).joined(separator: "\n")
        }
        var fields = [
            make.field("name", "field_name", stored: dto?.name, required: true, wide: true),
            make.select("templateId", "field_survey_template", templates, stored: dto?.templateId.uuidString),
            make.field("from", "from", .date, stored: dto?.from),
            make.field("to", "to", .date, stored: dto?.to),
            make.select("segmentId", "field_segment", names.segments.map { ($0.0.uuidString, $0.1) }, stored: dto?.respondents.segmentId?.uuidString),
        ]
        if !events.isEmpty { fields.append(make.select("eventId", "field_event", events, stored: dto?.respondents.eventId?.uuidString)) }
        fields.append(make.field("partnerCodes", "field_partner_codes", .textarea, stored: codes, wide: true, hint: "hint_partner_codes"))
        var rows: [QuestionnaireRow] = []
        var invited = 0, answered = 0
        if let survey, let id = survey.id, survey.status != .draft {
            let found = try await QuestionnaireService(context: service.context).scoped(id).sort(\.$createdAt).sort(\.$id).range(0..<500).all()
            let partners = try await Partner.names(of: found.map(\.partnerID), scope: service.scope, on: req.db)
            let people = try await ContactPerson.query(on: req.db).filter(\.$id ~~ found.compactMap(\.contactPersonID)).all()
                .reduce(into: [UUID: String]()) { $0[try $1.requireID()] = $1.name }
            rows = try found.map { q in
                QuestionnaireRow(id: try q.requireID(), partner: partners[q.partnerID] ?? "", person: q.contactPersonID.flatMap { people[$0] } ?? "",
                                 status: t["questionnaire_status_\(q.status.rawValue)"] ?? q.status.rawValue, answered: q.status == .answered,
                                 link: req.siteBase + "/s/" + q.token)
            }
            invited = try await QuestionnaireService(context: service.context).scoped(id).count()
            answered = try await QuestionnaireService(context: service.context).scoped(id).filter(\.$status == .answered).count()
        }
        let body = CardBody(
            heading: dto?.name ?? (t["survey_new"] ?? ""), action: dto.map { Site.surveys.path($0.id) } ?? Site.surveys.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.editRecords),
            draft: dto.map { $0.status == .draft } ?? true, active: dto?.status == .active,
            status: dto.map { t["survey_status_\($0.status.rawValue)"] ?? $0.status.rawValue }, formError: errors["form"] ?? errors["respondents"],
            fields: fields, invited: invited, answered: answered, questionnaires: rows, history: history)
        return try await WebPage.render("survey-card", titleKey: "nav_surveys", page: body, for: req, status: status)
    }

    static func act(_ req: Request, _ body: (Survey, SurveyService) async throws -> String) async throws -> Response {
        try await RecordPageActions<SurveyService>.act(req, section: .surveys, body)
    }

    @Sendable static func start(req: Request) async throws -> Response {
        try await act(req) { survey, service in
            let count = try await service.start(survey, expectedVersion: nil)
            return WebPage.text(req, "survey_started", ["count": String(count)])
        }
    }

    @Sendable static func close(req: Request) async throws -> Response {
        try await act(req) { survey, service in
            try await service.close(survey, expectedVersion: nil)
            return WebPage.text(req, "survey_closed")
        }
    }

    @Sendable static func invite(req: Request) async throws -> Response {
        try await act(req) { survey, service in
            let channel = try PostedForm(req).text("channel").flatMap(SurveyInvitations.Channel.init(rawValue:)) ?? .email
            let result = try await SurveyInvitations(context: service.context).send(survey, channel: channel, base: req.siteBase)
            return WebPage.text(req, "survey_invited", ["sent": String(result.sent), "skipped": String(result.skipped)])
        }
    }

    @Sendable static func links(req: Request) async throws -> Response {
        let (survey, service) = try await req.record(SurveyService.self)
        return try await SurveyLinks.csv(survey, context: service.context, base: req.siteBase)
    }

    struct InterviewBody: Encodable, Sendable {
        var title: String
        var partner: String
        var action: String
        var back: String
        var formError: String?
        var questions: [SurveyForm.Question]
    }

    @Sendable static func interview(req: Request) async throws -> Response {
        let (survey, service) = try await req.record(SurveyService.self)
        let questionnaire = try await QuestionnaireService(context: service.context).find(req.idParameter("qid"), of: survey.requireID())
        let answers = questionnaire.answers.flatMap { try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) } ?? [:]
        return try await renderInterview(req, survey: survey, questionnaire: questionnaire, answers: answers, errors: [:])
    }

    @Sendable static func saveInterview(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (survey, service) = try await req.record(SurveyService.self)
        let questionnaires = QuestionnaireService(context: service.context)
        let questionnaire = try await questionnaires.find(req.idParameter("qid"), of: survey.requireID())
        let answers = SurveyForm.answers(from: try PostedForm(req), questions: SurveyQuestions.decode(survey.questions))
        do {
            try await questionnaires.submit(questionnaire, of: survey, answers: answers, interview: true)
        } catch let errors as FieldErrors {
            return try await renderInterview(req, survey: survey, questionnaire: questionnaire, answers: answers,
                                             errors: FormErrors.localize(errors.fields, req), status: .unprocessableEntity)
        }
        return WebPage.redirect(req, to: Site.surveys.path(try survey.requireID()), flash: WebPage.text(req, "questionnaire_saved"))
    }

    static func renderInterview(_ req: Request, survey: Survey, questionnaire: Questionnaire, answers: [String: JSONValue],
                                errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let id = try survey.requireID()
        let partner = try await Partner.names(of: [questionnaire.partnerID], scope: try await req.accessScope(), on: req.db)[questionnaire.partnerID] ?? ""
        let body = InterviewBody(title: survey.name, partner: partner,
                                 action: Site.surveys.path(id, .questionnaires) + "/\(try questionnaire.requireID())", back: Site.surveys.path(id),
                                 formError: errors.isEmpty ? nil : t["survey_fix_answers"],
                                 questions: SurveyForm.questions(SurveyQuestions.decode(survey.questions), answers: answers, errors: errors, t: t))
        return try await WebPage.render("survey-interview", titleKey: "nav_surveys", page: body, for: req, status: status)
    }
}
