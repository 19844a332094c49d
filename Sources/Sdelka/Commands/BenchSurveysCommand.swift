import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `sdelka bench-surveys --questionnaires 100000`: on a database that holds partners (the demo
/// will do), a survey of 20 questions (scales, choices of one and of several, numbers, yes/no,
/// text) started and answered `--questionnaires` times, rows written in batches; then the
/// results are read five times and their times printed. For benchmarks only.
struct BenchSurveysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "questionnaires", help: "How many answered questionnaires to generate (default 100000).")
        var questionnaires: Int?
    }

    var help: String { "Generates answered questionnaires and times the survey results." }

    static let questions: [SurveyQuestion] = (1...20).map { n in
        let order = n
        switch n % 6 {
        case 0: return SurveyQuestion(id: "q\(n)", order: order, text: "Оценка \(n)", answerType: .scale, required: true)
        case 1: return SurveyQuestion(id: "q\(n)", order: order, text: "Выбор \(n)", answerType: .oneOf, options: ["А", "Б", "В", "Г"])
        case 2: return SurveyQuestion(id: "q\(n)", order: order, text: "Несколько \(n)", answerType: .severalOf, options: ["Цена", "Сроки", "Качество", "Сервис"])
        case 3: return SurveyQuestion(id: "q\(n)", order: order, text: "Число \(n)", answerType: .number, min: 0, max: 1000)
        case 4: return SurveyQuestion(id: "q\(n)", order: order, text: "Да или нет \(n)", answerType: .boolean)
        default: return SurveyQuestion(id: "q\(n)", order: order, text: "Комментарий \(n)", answerType: .text)
        }
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        try await Bootstrap.ensureAdmin(app)
        let total = signature.questionnaires ?? 100_000
        let db = app.db
        struct Row: Decodable { var id: UUID }
        let partners = try await db.sql.select().column("id").from(Partner.schema).orderBy("id").limit(50_000).all(decoding: Row.self).map(\.id)
        guard !partners.isEmpty else { throw RuleConflict("no_partners", "Load partners (or the demo) first.") }
        let service = ServiceContext(db: db, author: .system, scope: .all, config: app.sdelka)
        let template = try await SurveyTemplateService(service).create(SurveyTemplateInput(name: "Бенчмарк", questions: Self.questions))
        let survey = try await SurveyService(service).create(SurveyInput(name: "Бенчмарк \(total)", templateId: try template.requireID(),
                                                                         respondents: SurveyRespondentsDTO(partnerIds: [partners[0]])))
        _ = try await SurveyService(service).start(survey, expectedVersion: nil)
        let surveyID = try survey.requireID()
        let started = Date()
        var generator = SystemRandomNumberGenerator()
        for batch in stride(from: 0, to: total, by: 500) {
            let count = min(500, total - batch)
            var rows: [(UUID, UUID)] = []
            var answers: [(UUID, String, String?, Double?)] = []
            for index in 0..<count {
                let id = TimeOrderedID.make()
                rows.append((id, partners[(batch + index) % partners.count]))
                for q in Self.questions {
                    switch q.answerType {
                    case .scale: answers.append((id, q.id, nil, Double(Int.random(in: 0...10, using: &generator))))
                    case .number: answers.append((id, q.id, nil, Double(Int.random(in: 0...1000, using: &generator))))
                    case .oneOf: answers.append((id, q.id, (q.options ?? [])[Int.random(in: 0..<4, using: &generator)], nil))
                    case .severalOf:
                        answers.append((id, q.id, (q.options ?? [])[Int.random(in: 0..<2, using: &generator)], nil))
                        answers.append((id, q.id, (q.options ?? [])[Int.random(in: 2..<4, using: &generator)], nil))
                    case .boolean: answers.append((id, q.id, Bool.random(using: &generator) ? "true" : "false", nil))
                    default: answers.append((id, q.id, "Ответ \(batch + index)", nil))
                    }
                }
            }
            let questionnaireRows = rows, answerRows = answers
            try await db.writeTransaction { tx in
                var questionnaires = tx.sql.insert(into: Questionnaire.schema).columns("id", "survey_id", "partner_id", "token", "status", "answered_at")
                for row in questionnaireRows {
                    questionnaires = questionnaires.values(SQLBind(row.0), SQLBind(surveyID), SQLBind(row.1), SQLBind(SurveyService.newToken()),
                                                           SQLBind("answered"), SQLBind(Date()))
                }
                try await questionnaires.run()
                for chunk in answerRows.chunks(of: 1_000) {
                    var insert = tx.sql.insert(into: "survey_answers").columns("questionnaire_id", "survey_id", "question_id", "cell", "value_text", "value_number")
                    for a in chunk { insert = insert.values(SQLBind(a.0), SQLBind(surveyID), SQLBind(a.1), SQLBind(""), SQLBind(a.2), SQLBind(a.3)) }
                    try await insert.run()
                }
            }
            if (batch / 500) % 40 == 0 { context.console.print("\(batch + count) questionnaires") }
        }
        // The kept counts, as submissions would have left them, in two set-based statements.
        try await db.sql.raw("""
            INSERT INTO survey_answer_counts (survey_id, question_id, cell, value_key, value_text, value_number, n)
            SELECT survey_id, question_id, cell, CASE WHEN value_number IS NOT NULL THEN 'n:' || CAST(value_number AS TEXT) ELSE 't:' || value_text END,
                   value_text, value_number, COUNT(*)
            FROM survey_answers WHERE survey_id = \(bind: surveyID) AND question_id IN \(SQLBind.group(Self.questions.filter { $0.answerType != .text }.map(\.id)))
            GROUP BY survey_id, question_id, cell, value_text, value_number
            """).run()
        try await db.sql.raw("""
            INSERT INTO survey_answer_counts (survey_id, question_id, cell, value_key, value_text, value_number, n)
            SELECT survey_id, question_id, cell, 'answered', NULL, NULL, COUNT(DISTINCT questionnaire_id)
            FROM survey_answers WHERE survey_id = \(bind: surveyID) GROUP BY survey_id, question_id, cell
            """).run()
        context.console.print("generated \(total) questionnaires in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        if db.sql.dialect.name == "postgresql" { try await db.sql.raw("ANALYZE").run() }
        for run in 1...5 {
            let t0 = Date()
            let report = try await SurveyReport.make(survey, SurveyReport.Filter(), context: service)
            context.console.print("results, run \(run): \(String(format: "%.0f", Date().timeIntervalSince(t0) * 1000)) ms (answered \(report.answered))")
        }
        context.console.print("survey \(surveyID); public link of the first: /s/\(try await Questionnaire.query(on: db).filter(\.$surveyID == surveyID).first()?.token ?? "")")
    }
}
