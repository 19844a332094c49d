import Fluent
import SdelkaCore
import Vapor

/// Survey templates in the web UI: the list and the form, whose questions are rows — text,
/// kind, answer type, required; options, a table's rows and columns one per line; a condition
/// as the question id and the values that show it; a complex question's parts as lines
/// `id | text | answer type | required`.
enum SurveyTemplatePages {
    static let forms = RecordFormPages<SurveyTemplateService>(
        section: .surveyTemplates,
        render: { req, record, form, errors, status in try await render(req, template: record, form: form, errors: errors, status: status) },
        input: { _, form, _ in try input(from: form) },
        clearable: ["description"], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.surveyTemplates.component)
        group.get(use: list)
        forms.register(on: group)
    }

    struct Row: Encodable, Sendable { var id: UUID; var name: String; var questions: Int; var deletionMark: Bool }
    struct ListBody: Encodable, Sendable { var items: [Row]; var canEdit: Bool; var q: String }

    @Sendable static func list(req: Request) async throws -> Response {
        let templates = try await req.service(SurveyTemplateService.self).list(q: req.text("q"), includeDeleted: req.flag("includeDeleted")).all()
        let rows = try templates.map { Row(id: try $0.requireID(), name: $0.name, questions: SurveyQuestions.decode($0.questions).count, deletionMark: $0.deletionMark) }
        return try await WebPage.render("survey-template-list", titleKey: "nav_survey_templates",
                                        page: ListBody(items: rows, canEdit: try req.user.role.can(.editRecords), q: req.text("q") ?? ""), for: req)
    }

    struct QuestionRow: Encodable, Sendable {
        var index: Int
        var number: Int
        var id: String
        var text: String
        var kinds: [FormOption]
        var types: [FormOption]
        var required: Bool
        var options: String
        var min: String
        var max: String
        var conditionQuestion: String
        var conditionValues: String
        var rows: String
        var columns: String
        var parts: String
        var error: String?
    }

    struct FormBody: Encodable, Sendable {
        var heading: String
        var action: String
        var id: UUID?
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var formError: String?
        var name: String
        var description: String
        var nameError: String?
        var questions: [QuestionRow]
        var history: [AuditPages.Row]
    }

    static func lines(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The rows as questions, in their order; rows without text are left out.
    static func input(from form: PostedForm) throws -> SurveyTemplateInput {
        var questions: [SurveyQuestion] = []
        for index in 0..<SurveyQuestion.maxQuestions {
            let at = "questions.\(index)."
            guard let text = form.text(at + "text").cleaned else { continue }
            let kind = form.text(at + "kind").flatMap(SurveyQuestion.Kind.init(rawValue:)) ?? .simple
            let type = form.text(at + "answerType").flatMap(SurveyQuestion.AnswerType.init(rawValue:)) ?? .string
            var q = SurveyQuestion(id: form.text(at + "id").cleaned ?? "q\(index + 1)", order: questions.count + 1, text: text, kind: kind,
                                   answerType: type, required: form.flag(at + "required"))
            let options = lines(form.text(at + "options"))
            if !options.isEmpty { q.options = options }
            q.min = form.text(at + "min").cleaned.flatMap { Decimal(string: $0) }
            q.max = form.text(at + "max").cleaned.flatMap { Decimal(string: $0) }
            if kind == .conditional {
                q.condition = SurveyQuestion.Condition(questionId: form.text(at + "conditionQuestion").cleaned ?? "",
                                                       values: lines(form.text(at + "conditionValues")))
            }
            if kind == .table {
                q.rows = lines(form.text(at + "rows"))
                q.columns = lines(form.text(at + "columns"))
            }
            if kind == .complex {
                q.parts = lines(form.text(at + "parts")).enumerated().map { p, line in
                    let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                    return SurveyQuestion(id: cells.first.flatMap { $0.isEmpty ? nil : $0 } ?? "p\(p + 1)", order: p + 1,
                                          text: cells.count > 1 ? cells[1] : "",
                                          answerType: cells.count > 2 ? SurveyQuestion.AnswerType(rawValue: cells[2]) ?? .string : .string,
                                          required: cells.count > 3 && ["1", "true", "да", "yes", "*"].contains(cells[3].lowercased()))
                }
            }
            questions.append(q)
        }
        return SurveyTemplateInput(name: form.text("name") ?? "", description: form.text("description"), questions: questions,
                                   version: form.text("version").flatMap { Int($0) })
    }

    static func render(_ req: Request, template: SurveyTemplate?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(SurveyTemplateService.self)
        let (dto, history) = try await StoredRecord.load(template, service: service, req: req).pair
        var questions = dto?.questions ?? []
        if let form { questions = (try? input(from: form).questions) ?? questions }
        func kinds(_ selected: SurveyQuestion.Kind) -> [FormOption] {
            SurveyQuestion.Kind.allCases.map { FormOption(value: $0.rawValue, label: t["survey_kind_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == selected) }
        }
        func types(_ selected: SurveyQuestion.AnswerType) -> [FormOption] {
            SurveyQuestion.AnswerType.allCases.map { FormOption(value: $0.rawValue, label: t["survey_type_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == selected) }
        }
        var rows = questions.sorted { $0.order < $1.order }.enumerated().map { index, q in
            QuestionRow(index: index, number: index + 1, id: q.id, text: q.text, kinds: kinds(q.kind), types: types(q.answerType), required: q.required,
                        options: (q.options ?? []).joined(separator: "\n"), min: q.min.map { "\($0)" } ?? "", max: q.max.map { "\($0)" } ?? "",
                        conditionQuestion: q.condition?.questionId ?? "", conditionValues: (q.condition?.values ?? []).joined(separator: "\n"),
                        rows: (q.rows ?? []).joined(separator: "\n"), columns: (q.columns ?? []).joined(separator: "\n"),
                        parts: (q.parts ?? []).map { "\($0.id) | \($0.text) | \($0.answerType.rawValue) | \($0.required ? "*" : "")" }.joined(separator: "\n"),
                        error: FormErrors.localize(errors.filter { $0.key.hasPrefix("questions.\(index).") }, req).values.sorted().first)
        }
        for _ in 0..<3 {
            rows.append(QuestionRow(index: rows.count, number: rows.count + 1, id: "q\(rows.count + 1)", text: "", kinds: kinds(.simple), types: types(.string), required: false,
                                    options: "", min: "", max: "", conditionQuestion: "", conditionValues: "", rows: "", columns: "", parts: ""))
        }
        let body = FormBody(
            heading: dto?.name ?? (t["survey_template_new"] ?? ""), action: dto.map { Site.surveyTemplates.path($0.id) } ?? Site.surveyTemplates.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.editRecords),
            formError: errors["form"] ?? errors["questions"], name: form?.text("name") ?? dto?.name ?? "",
            description: form?.text("description") ?? dto?.description ?? "", nameError: errors["name"], questions: rows, history: history)
        return try await WebPage.render("survey-template-form", titleKey: "nav_survey_templates", page: body, for: req, status: status)
    }
}
