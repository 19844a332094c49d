import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Filling questionnaires: answers are checked against the survey's questions, kept whole on
/// the questionnaire and one row per answer (table cell, complex part, chosen option) for the
/// results; a second submission corrects the first. Only an active survey takes answers.
struct QuestionnaireService: Sendable {
    let context: ServiceContext
    var db: any Database { context.db }

    /// The survey's questionnaires of the partners the user may see.
    func scoped(_ surveyID: UUID) -> QueryBuilder<Questionnaire> {
        let query = Questionnaire.query(on: db).filter(\.$surveyID == surveyID)
            .join(Partner.self, on: \Questionnaire.$partnerID == \Partner.$id)
        return context.scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }

    func find(_ id: UUID, of surveyID: UUID) async throws -> Questionnaire {
        guard let found = try await scoped(surveyID).filter(\.$id == id).first() else { throw NotFound("questionnaire") }
        return found
    }

    /// The questionnaire of a personal link, while its survey is active; nil for any other
    /// token (an unknown one and a closed survey's answer alike, giving nothing away).
    static func byToken(_ token: String, on db: any Database) async throws -> (Questionnaire, Survey)? {
        guard token.count >= 20, token.count <= 64,
              let questionnaire = try await Questionnaire.query(on: db).filter(\.$token == token).first(),
              let survey = try await Survey.find(questionnaire.surveyID, on: db),
              survey.status == .active, !survey.deletionMark else { return nil }
        return (questionnaire, survey)
    }

    static func dto(_ q: Questionnaire, base: String) throws -> QuestionnaireDTO {
        QuestionnaireDTO(id: try q.requireID(), partnerId: q.partnerID, contactPersonId: q.contactPersonID, status: q.status,
                         link: base + "/s/" + q.token, answeredAt: q.answeredAt,
                         answers: q.answers.flatMap { try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) })
    }

    /// Checks and keeps the answers. `interview`: a manager filled it in talking to the client,
    /// recorded once as a meeting with the survey as its subject.
    func submit(_ q: Questionnaire, of survey: Survey, answers: [String: JSONValue], interview: Bool) async throws {
        guard survey.status == .active else { throw RuleConflict("survey_not_active", "The survey takes no answers: it is not active.") }
        let questions = SurveyQuestions.decode(survey.questions)
        var (kept, errors) = SurveyAnswers.check(answers, questions: questions)
        try await checkReferences(kept, questions: questions, into: &errors)
        try errors.check()
        let id = try q.requireID()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(kept), as: UTF8.self)
        let rows = Self.rows(kept, questions: questions)
        let before = q.answers
        let previous = Self.rows(before.flatMap { try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8)) } ?? [:], questions: questions)
        let deltas = Self.countDeltas(removing: previous, adding: rows)
        let author = context.author
        try await db.writeTransaction { tx in
            q.answers = text
            q.status = .answered
            q.answeredAt = Date()
            q.answeredBy = interview ? author.userID : nil
            if interview, q.interactionID == nil {
                q.interactionID = try await self.recordInterview(q, survey: survey, on: tx)
            }
            try await q.update(on: tx)
            try await tx.sql.delete(from: "survey_answers").where("questionnaire_id", .equal, SQLBind(id)).run()
            for chunk in rows.chunks(of: 500) {
                var insert = tx.sql.insert(into: "survey_answers")
                    .columns("questionnaire_id", "survey_id", "question_id", "cell", "value_text", "value_number")
                for row in chunk {
                    insert = insert.values(SQLBind(id), SQLBind(q.surveyID), SQLBind(row.question), SQLBind(row.cell),
                                           SQLBind(row.text), SQLBind(row.number))
                }
                try await insert.run()
            }
            for (key, delta) in deltas where delta.n != 0 {
                try await tx.sql.raw("""
                    INSERT INTO survey_answer_counts (survey_id, question_id, cell, value_key, value_text, value_number, n)
                    VALUES (\(bind: q.surveyID), \(bind: key.question), \(bind: key.cell), \(bind: key.valueKey), \(bind: delta.text), \(bind: delta.number), \(bind: delta.n))
                    ON CONFLICT (survey_id, question_id, cell, value_key) DO UPDATE SET n = survey_answer_counts.n + excluded.n
                    """).run()
            }
            try await Audit.record(.update, objectType: "questionnaire", objectID: id.uuidString,
                                   changes: [FieldChange(field: "answers", old: before.map(JSONValue.string), new: .string(text))],
                                   by: author, on: tx)
        }
    }

    struct Row: Sendable {
        var question: String
        var cell: String
        var text: String?
        var number: Double?
        /// A choice or a number: counted in `survey_answer_counts` (free text is not).
        var counted = true
    }

    /// One row per answer value: a table's cell is `row␟column`, a complex part its id, each
    /// option chosen of several its own row.
    static func rows(_ answers: [String: JSONValue], questions: [SurveyQuestion]) -> [Row] {
        var rows: [Row] = []
        var counted = true
        func add(_ question: String, _ cell: String, _ value: JSONValue) {
            switch value {
            case .number(let n): rows.append(Row(question: question, cell: cell, text: nil, number: NSDecimalNumber(decimal: n).doubleValue, counted: counted))
            case .string(let s): rows.append(Row(question: question, cell: cell, text: s, number: nil, counted: counted))
            case .bool(let b): rows.append(Row(question: question, cell: cell, text: b ? "true" : "false", number: nil, counted: counted))
            case .array(let items): for item in items { add(question, cell, item) }
            default: break
            }
        }
        func isCounted(_ type: SurveyQuestion.AnswerType) -> Bool { ![.string, .text, .date].contains(type) }
        for q in questions {
            guard let answer = answers[q.id] else { continue }
            switch (q.kind, answer) {
            case (.table, .object(let table)):
                counted = isCounted(q.answerType)
                for (row, cells) in table {
                    if case .object(let columns) = cells { for (column, value) in columns { add(q.id, row + "\u{1F}" + column, value) } }
                }
            case (.complex, .object(let parts)):
                for (part, value) in parts {
                    counted = isCounted(q.parts?.first { $0.id == part }?.answerType ?? .text)
                    add(q.id, part, value)
                }
            default:
                counted = isCounted(q.answerType)
                add(q.id, "", answer)
            }
        }
        return rows
    }

    struct CountKey: Hashable { var question: String; var cell: String; var valueKey: String }
    struct CountDelta { var text: String?; var number: Double?; var n: Int }

    /// How the kept counts change when a questionnaire's rows are replaced: each value −1/+1, and
    /// each question and cell answered (`answered`) −1/+1 once.
    static func countDeltas(removing old: [Row], adding new: [Row]) -> [CountKey: CountDelta] {
        var deltas: [CountKey: CountDelta] = [:]
        func apply(_ rows: [Row], _ sign: Int) {
            var answered = Set<CountKey>()
            for row in rows {
                // Free text is read from the rows themselves; its answered count still is kept.
                answered.insert(CountKey(question: row.question, cell: row.cell, valueKey: "answered"))
                guard row.counted else { continue }
                let key = CountKey(question: row.question, cell: row.cell, valueKey: row.number.map { "n:\($0)" } ?? "t:" + (row.text ?? ""))
                deltas[key, default: CountDelta(text: row.text, number: row.number, n: 0)].n += sign
            }
            for key in answered { deltas[key, default: CountDelta(n: 0)].n += sign }
        }
        apply(old, -1)
        apply(new, 1)
        return deltas
    }

    /// A `reference` answer names a product or a product group that exists.
    private func checkReferences(_ answers: [String: JSONValue], questions: [SurveyQuestion], into errors: inout FieldErrors) async throws {
        for q in questions where q.answerType == .reference || (q.parts ?? []).contains(where: { $0.answerType == .reference }) {
            guard let answer = answers[q.id] else { continue }
            var ids: [(String, UUID)] = []
            if case .string(let s) = answer, let id = UUID(uuidString: s) { ids.append(("answers.\(q.id)", id)) }
            if case .object(let parts) = answer {
                for (part, value) in parts { if case .string(let s) = value, let id = UUID(uuidString: s) { ids.append(("answers.\(q.id).\(part)", id)) } }
            }
            for (field, id) in ids {
                let product = try await Product.find(id, on: db)
                let group = product == nil ? try await ProductGroup.find(id, on: db) : nil
                if product == nil && group == nil { errors.add(field, "must name a product or a product group") }
            }
        }
    }

    private func recordInterview(_ q: Questionnaire, survey: Survey, on tx: any Database) async throws -> UUID? {
        guard try await SettingsStore.features(on: tx).isEnabled(.interactions) else { return nil }
        var input = InteractionInput()
        input.type = .meeting
        input.topic = "Анкета «\(survey.name)»"
        input.description = "Интервью по анкете"
        input.start = Date()
        input.subject = InteractionSubjectDTO(type: .survey, id: try survey.requireID())
        input.participants = [InteractionParticipantDTO(partnerId: q.partnerID, contactPersonId: q.contactPersonID)]
        let inside = ServiceContext(db: tx, author: context.author, scope: context.scope, config: context.config)
        return try await InteractionService(inside).create(input).requireID()
    }
}
