import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/surveys/{id}`: per question how many answered, the options' counts and
/// shares, mean/median/min/max of numbers and scales, NPS of scales, up to 50 free-text
/// answers; a table question per cell, a complex one per part. Questionnaires of the partners
/// the user may see count, narrowed by segment, ABC/XYZ class (by revenue, the latest run),
/// region or manager. Summed in SQL: one GROUP BY for choices, one for numbers.
struct SurveyReport: Content {
    struct Cell: Content, Equatable {
        /// Empty for a simple question; `row␟column` in a table, a part's id in a complex one.
        var cell: String
        var answers: Int
        var options: [SurveyStatistics.OptionShare]?
        var mean: Decimal?
        var median: Decimal?
        var min: Decimal?
        var max: Decimal?
        var nps: Decimal?
        var texts: [String]?
    }

    struct Question: Content, Equatable {
        var questionId: String
        var text: String
        var answers: Int
        var options: [SurveyStatistics.OptionShare]?
        var mean: Decimal?
        var median: Decimal?
        var min: Decimal?
        var max: Decimal?
        var nps: Decimal?
        var texts: [String]?
        /// A table's cells or a complex question's parts.
        var cells: [Cell]?
    }

    struct Filter: Sendable {
        var segmentID: UUID?
        var abc: ABCClass?
        var xyz: XYZClass?
        var regionID: UUID?
        var managerID: UUID?
    }

    var invited: Int
    var answered: Int
    /// Percent answered of those invited, two decimals.
    var responseRate: Decimal
    var questions: [Question]

    static let textsShown = 50

    static func make(_ survey: Survey, _ filter: Filter, context: ServiceContext) async throws -> SurveyReport {
        let sql = context.db.sql
        let surveyID = try survey.requireID()
        let questions = SurveyQuestions.decode(survey.questions)
        let chosen = try await chosenQuestionnaires(surveyID, filter, context: context)
        var totals = SQLQueryString("SELECT COUNT(*) AS invited, CAST(SUM(CASE WHEN q.status = 'answered' THEN 1 ELSE 0 END) AS BIGINT) AS answered FROM questionnaires q WHERE q.survey_id = \(bind: surveyID)")
        if let chosen { totals.appendInterpolation(raw: " AND q.id IN "); totals.appendInterpolation(chosen) }
        struct Totals: Decodable { var invited: Int64; var answered: Int64? }
        let counts = try await sql.raw(totals).first(decoding: Totals.self)
        let invited = Int(counts?.invited ?? 0), answered = Int(counts?.answered ?? 0)

        func restricted(_ select: String, _ tail: String) -> SQLQueryString {
            var query = SQLQueryString("\(unsafeRaw: select) FROM survey_answers a WHERE a.survey_id = \(bind: surveyID)")
            if let chosen { query.appendInterpolation(raw: " AND a.questionnaire_id IN "); query.appendInterpolation(chosen) }
            query.appendInterpolation(raw: tail)
            return query
        }
        struct Answered: Decodable { var question_id: String; var cell: String; var n: Int64 }
        struct Choice: Decodable { var question_id: String; var cell: String; var value_text: String; var n: Int64 }
        struct Number: Decodable { var question_id: String; var cell: String; var value_number: Double; var n: Int64 }
        let choiceIDs = questions.filter { [.oneOf, .severalOf, .boolean, .reference].contains($0.answerType)
            || ($0.parts ?? []).contains { [.oneOf, .severalOf, .boolean, .reference].contains($0.answerType) } }.map(\.id)
        var answeredBy: [Answered] = [], choices: [Choice] = [], numbers: [Number] = []
        if chosen == nil {
            // Nothing narrows the questionnaires: the counts kept with every submission.
            struct Count: Decodable { var question_id: String; var cell: String; var value_key: String; var value_text: String?; var value_number: Double?; var n: Int64 }
            let counts = try await sql.raw("SELECT question_id, cell, value_key, value_text, value_number, n FROM survey_answer_counts WHERE survey_id = \(bind: surveyID) AND n <> 0")
                .all(decoding: Count.self)
            for c in counts {
                if c.value_key == "answered" { answeredBy.append(Answered(question_id: c.question_id, cell: c.cell, n: c.n)) }
                else if let number = c.value_number { numbers.append(Number(question_id: c.question_id, cell: c.cell, value_number: number, n: c.n)) }
                else if let text = c.value_text { choices.append(Choice(question_id: c.question_id, cell: c.cell, value_text: text, n: c.n)) }
            }
        } else {
            answeredBy = try await sql.raw(restricted("SELECT a.question_id, a.cell, COUNT(DISTINCT a.questionnaire_id) AS n",
                                                      " GROUP BY a.question_id, a.cell")).all(decoding: Answered.self)
            if !choiceIDs.isEmpty {
                var query = restricted("SELECT a.question_id, a.cell, a.value_text, COUNT(*) AS n", " AND a.value_text IS NOT NULL AND a.question_id IN ")
                query.appendInterpolation(SQLBind.group(choiceIDs))
                query.appendInterpolation(raw: " GROUP BY a.question_id, a.cell, a.value_text")
                choices = try await sql.raw(query).all(decoding: Choice.self)
            }
            numbers = try await sql.raw(restricted("SELECT a.question_id, a.cell, a.value_number, COUNT(*) AS n",
                                                   " AND a.value_number IS NOT NULL GROUP BY a.question_id, a.cell, a.value_number")).all(decoding: Number.self)
        }
        func key(_ question: String, _ cell: String) -> String { question + "\u{1E}" + cell }
        let answeredIndex = Dictionary(answeredBy.map { (key($0.question_id, $0.cell), Int($0.n)) }, uniquingKeysWith: +)
        let choiceIndex = Dictionary(grouping: choices) { key($0.question_id, $0.cell) }
        let numberIndex = Dictionary(grouping: numbers) { key($0.question_id, $0.cell) }

        func cell(_ q: SurveyQuestion, answerType: SurveyQuestion.AnswerType, options: [String]?, cell: String) async throws -> Cell {
            let k = key(q.id, cell)
            let count = answeredIndex[k] ?? 0
            var result = Cell(cell: cell, answers: count)
            switch answerType {
            case .oneOf, .severalOf, .boolean, .reference:
                let counts = Dictionary((choiceIndex[k] ?? []).map { ($0.value_text, Int($0.n)) }, uniquingKeysWith: +)
                let order = answerType == .boolean ? ["true", "false"] : (options ?? [])
                result.options = SurveyStatistics.options(counts, order: order, answered: count)
            case .number, .scale:
                let histogram = (numberIndex[k] ?? []).map { (value: Decimal(string: String($0.value_number)) ?? 0, count: Int($0.n)) }
                if let n = SurveyStatistics.numbers(histogram) {
                    result.mean = n.mean; result.median = n.median; result.min = n.min; result.max = n.max
                }
                if answerType == .scale { result.nps = SurveyStatistics.nps(histogram) }
            case .string, .text, .date:
                var texts = restricted("SELECT a.value_text", " AND a.question_id = ")
                texts.appendInterpolation(bind: q.id)
                texts.appendInterpolation(raw: " AND a.cell = ")
                texts.appendInterpolation(bind: cell)
                texts.appendInterpolation(raw: " AND a.value_text IS NOT NULL LIMIT \(textsShown)")
                struct Text: Decodable { var value_text: String }
                result.texts = try await sql.raw(texts).all(decoding: Text.self).map(\.value_text)
            }
            return result
        }

        var out: [Question] = []
        for q in questions.sorted(by: { $0.order < $1.order }) {
            var line = Question(questionId: q.id, text: q.text, answers: 0)
            switch q.kind {
            case .simple, .conditional:
                let c = try await cell(q, answerType: q.answerType, options: q.options, cell: "")
                line.answers = c.answers; line.options = c.options; line.mean = c.mean; line.median = c.median
                line.min = c.min; line.max = c.max; line.nps = c.nps; line.texts = c.texts
            case .table:
                var cells: [Cell] = []
                for row in q.rows ?? [] {
                    for column in q.columns ?? [] { cells.append(try await cell(q, answerType: q.answerType, options: q.options, cell: row + "\u{1F}" + column)) }
                }
                line.cells = cells
                line.answers = cells.map(\.answers).max() ?? 0
            case .complex:
                var cells: [Cell] = []
                for part in q.parts ?? [] { cells.append(try await cell(part, answerType: part.answerType, options: part.options, cell: part.id)) }
                line.cells = cells
                line.answers = cells.map(\.answers).max() ?? 0
            }
            out.append(line)
        }
        return SurveyReport(invited: invited, answered: answered,
                            responseRate: invited == 0 ? 0 : Funnel.rounded(Decimal(answered) * 100 / Decimal(invited), scale: 2), questions: out)
    }

    /// `IN (SELECT q.id …)` for the questionnaires the user may see and the filter keeps; nil
    /// when nothing narrows them (all the survey's questionnaires count).
    private static func chosenQuestionnaires(_ surveyID: UUID, _ filter: Filter, context: ServiceContext) async throws -> SQLQueryString? {
        let visible = context.scope.partnerVisible(SQLColumn("partner_id", table: "q"))
        guard visible != nil || filter.segmentID != nil || filter.abc != nil || filter.xyz != nil || filter.regionID != nil || filter.managerID != nil else {
            return nil
        }
        var query = SQLQueryString("(SELECT q.id FROM questionnaires q JOIN partners p ON p.id = q.partner_id WHERE q.survey_id = \(bind: surveyID)")
        if let visible { query.appendInterpolation(raw: " AND "); query.appendInterpolation(visible) }
        query.and("p.business_region_id", "=", filter.regionID)
        query.and("p.main_manager_id", "=", filter.managerID)
        if let id = filter.segmentID {
            guard let segment = try await Segment.find(id, on: context.db) else { throw FieldErrors("segmentId", "names a segment that does not exist") }
            query.appendInterpolation(raw: " AND ")
            query.appendInterpolation(try SegmentMembership.predicate(segment, column: SQLColumn("id", table: "p"), today: context.today, timeZone: context.zone))
        }
        if filter.abc != nil || filter.xyz != nil {
            let run = try await ClassificationStore.runs(measure: .revenue, limit: 1, on: context.db.sql).first
            query.appendInterpolation(raw: " AND p.id IN (SELECT r.partner_id FROM classification_results r WHERE r.run_id = ")
            query.appendInterpolation(bind: run?.id ?? UUID())
            query.and("r.revenue_abc", "=", filter.abc?.rawValue)
            query.and("r.revenue_xyz", "=", filter.xyz?.rawValue)
            query.appendInterpolation(raw: ")")
        }
        query.appendInterpolation(raw: ")")
        return query
    }

    /// The results as one table: a line per option of each question (or table cell), then the
    /// figures of numbers, then free text.
    static func table(_ report: SurveyReport) -> ReportFormat.Table {
        var rows: [[String?]] = [["", "", "invited", String(report.invited), nil], ["", "", "answered", String(report.answered), report.responseRate.description]]
        func add(_ question: String, _ cell: String, answers: Int, options: [SurveyStatistics.OptionShare]?, figures: [(String, Decimal?)], texts: [String]?) {
            rows.append([question, cell, "answers", String(answers), nil])
            for o in options ?? [] { rows.append([question, cell, "option: " + o.value, String(o.count), o.share.description]) }
            for (name, value) in figures { if let value { rows.append([question, cell, name, value.description, nil]) } }
            for text in texts ?? [] { rows.append([question, cell, "text", text, nil]) }
        }
        for q in report.questions {
            if let cells = q.cells {
                for c in cells {
                    add(q.questionId, c.cell.replacingOccurrences(of: "\u{1F}", with: " / "), answers: c.answers, options: c.options,
                        figures: [("mean", c.mean), ("median", c.median), ("min", c.min), ("max", c.max), ("nps", c.nps)], texts: c.texts)
                }
            } else {
                add(q.questionId, "", answers: q.answers, options: q.options,
                    figures: [("mean", q.mean), ("median", q.median), ("min", q.min), ("max", q.max), ("nps", q.nps)], texts: q.texts)
            }
        }
        return ReportFormat.Table(filename: "survey-results.csv", header: ["question", "cell", "figure", "value", "share"], rows: rows)
    }
}
