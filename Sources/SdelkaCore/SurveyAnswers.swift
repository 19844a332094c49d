import Foundation

/// A questionnaire's answers checked against its template: each answer of the right type, a
/// conditional question asked (and required) only while its condition holds, a table answered
/// cell by cell, a complex question part by part. Forms post text; answers are kept typed.
public enum SurveyAnswers {
    public static let maxStringLength = 500, maxTextLength = 10_000

    /// The answers kept (those of questions asked, typed) and the problems, keyed
    /// `answers.<questionId>` (`…<row>.<column>` in a table, `…<partId>` in a complex question).
    public static func check(_ given: [String: JSONValue], questions: [SurveyQuestion]) -> (answers: [String: JSONValue], errors: FieldErrors) {
        var errors = FieldErrors()
        var kept: [String: JSONValue] = [:]
        let known = Set(questions.map(\.id))
        for id in given.keys where !known.contains(id) { errors.add("answers.\(id)", "names no question of this survey") }
        for q in questions.sorted(by: { $0.order < $1.order }) {
            let at = "answers.\(q.id)"
            guard isAsked(q, answers: kept) else { continue }
            let value = given[q.id] ?? .null
            switch q.kind {
            case .simple, .conditional:
                if isEmpty(value) {
                    if q.required { errors.add(at, "is required") }
                } else if let typed = typed(value, q, at: at, into: &errors) {
                    kept[q.id] = typed
                }
            case .table:
                if let table = self.table(value, q, at: at, into: &errors) { kept[q.id] = table }
            case .complex:
                if let group = complex(value, q, at: at, into: &errors) { kept[q.id] = group }
            }
        }
        return (kept, errors)
    }

    /// A conditional question is asked when the answer kept for its condition's question is
    /// one of the condition's values (for several-of, when any chosen one is).
    public static func isAsked(_ q: SurveyQuestion, answers: [String: JSONValue]) -> Bool {
        guard q.kind == .conditional, let condition = q.condition else { return true }
        return texts(answers[condition.questionId]).contains { condition.values.contains($0) }
    }

    /// An answer as the texts a condition compares: a choice, the choices, `true`/`false`, a number.
    public static func texts(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let text)?: return [text]
        case .bool(let flag)?: return [flag ? "true" : "false"]
        case .number(let number)?: return ["\(number)"]
        case .array(let items)?: return items.flatMap { texts($0) }
        default: return []
        }
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return true
        case .string(let text): return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .array(let items): return items.isEmpty
        case .object(let fields): return fields.isEmpty
        default: return false
        }
    }

    /// One answer of the question's type, or nil with the problem recorded.
    static func typed(_ value: JSONValue, _ q: SurveyQuestion, at: String, into errors: inout FieldErrors) -> JSONValue? {
        func fail(_ reason: String) -> JSONValue? { errors.add(at, reason); return nil }
        let text: String? = { if case .string(let s) = value { return s.trimmingCharacters(in: .whitespacesAndNewlines) } else { return nil } }()
        switch q.answerType {
        case .string, .text:
            guard let text else { return fail("must be text") }
            let limit = q.answerType == .string ? maxStringLength : maxTextLength
            return text.count > limit ? fail("must be at most \(limit) characters") : .string(text)
        case .number, .scale:
            var number: Decimal?
            if case .number(let n) = value { number = n } else if let text { number = Decimal(string: text.replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX")) }
            guard let number, number.isFinite, abs(number) < 1_000_000_000_000 else { return fail("must be a number") }
            if q.answerType == .scale {
                guard SurveyQuestion.scaleRange.contains(number), number == Funnel.rounded(number, scale: 0) else { return fail("must be a whole number from 0 to 10") }
            }
            if let min = q.min, number < min { return fail("must be at least \(min)") }
            if let max = q.max, number > max { return fail("must be at most \(max)") }
            return .number(number)
        case .date:
            guard let text, let day = CalendarDate(accepting: text) else { return fail(CalendarDate.acceptedMessage) }
            return .string(day.description)
        case .boolean:
            if case .bool = value { return value }
            switch text?.lowercased() {
            case "true", "on", "1", "yes": return .bool(true)
            case "false", "off", "0", "no": return .bool(false)
            default: return fail("must be yes or no")
            }
        case .oneOf:
            guard let text, (q.options ?? []).contains(text) else { return fail("must be one of the options") }
            return .string(text)
        case .severalOf:
            let chosen: [String]
            if case .array(let items) = value { chosen = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } } }
            else if let text { chosen = [text] } else { chosen = [] }
            let options = q.options ?? []
            guard !chosen.isEmpty, chosen.allSatisfy(options.contains) else { return fail("must be some of the options") }
            // Kept in the options' order, each once.
            return .array(options.filter(chosen.contains).map(JSONValue.string))
        case .reference:
            guard let text, let id = UUID(uuidString: text) else { return fail("must name a product or a product group") }
            return .string(id.uuidString)
        }
    }

    static func table(_ value: JSONValue, _ q: SurveyQuestion, at: String, into errors: inout FieldErrors) -> JSONValue? {
        let rows = q.rows ?? [], columns = q.columns ?? []
        var given: [String: JSONValue] = [:]
        switch value {
        case .object(let fields): given = fields
        case .null: break
        default: errors.add(at, "must be an object of rows"); return nil
        }
        for row in given.keys where !rows.contains(row) { errors.add("\(at).\(row)", "names no row of the table") }
        var kept: [String: JSONValue] = [:]
        for row in rows {
            var cells: [String: JSONValue] = [:]
            var rowGiven: [String: JSONValue] = [:]
            switch given[row] {
            case .object(let fields)?: rowGiven = fields
            case nil, .null?: break
            default: errors.add("\(at).\(row)", "must be an object of columns"); continue
            }
            for column in rowGiven.keys where !columns.contains(column) { errors.add("\(at).\(row).\(column)", "names no column of the table") }
            for column in columns {
                let cell = rowGiven[column] ?? .null
                if isEmpty(cell) {
                    if q.required { errors.add("\(at).\(row).\(column)", "is required") }
                } else if let typed = typed(cell, q, at: "\(at).\(row).\(column)", into: &errors) {
                    cells[column] = typed
                }
            }
            if !cells.isEmpty { kept[row] = .object(cells) }
        }
        return kept.isEmpty ? nil : .object(kept)
    }

    static func complex(_ value: JSONValue, _ q: SurveyQuestion, at: String, into errors: inout FieldErrors) -> JSONValue? {
        var given: [String: JSONValue] = [:]
        switch value {
        case .object(let fields): given = fields
        case .null: break
        default: errors.add(at, "must be an object of parts"); return nil
        }
        let parts = q.parts ?? []
        for id in given.keys where !parts.contains(where: { $0.id == id }) { errors.add("\(at).\(id)", "names no part of the question") }
        var kept: [String: JSONValue] = [:]
        for part in parts {
            let answer = given[part.id] ?? .null
            if isEmpty(answer) {
                if part.required || q.required { errors.add("\(at).\(part.id)", "is required") }
            } else if let typed = typed(answer, part, at: "\(at).\(part.id)", into: &errors) {
                kept[part.id] = typed
            }
        }
        return kept.isEmpty ? nil : .object(kept)
    }
}
