import Foundation

/// A survey template's questions (DOMAIN.md §7, ARCHITECTURE.md "Wave 2 contract"): `simple`
/// (one answer), `conditional` (asked only when an earlier question's answer is one of given
/// values), `table` (rows × columns, an answer in every cell) and `complex` (a group of simple
/// questions answered together).
public struct SurveyQuestion: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable { case simple, conditional, table, complex }
    public enum AnswerType: String, Codable, CaseIterable, Sendable {
        case string, text, number, date, boolean, oneOf, severalOf, reference, scale
    }

    /// Shown when the answer to `questionId` equals one of `values`.
    public struct Condition: Codable, Equatable, Sendable {
        public var questionId: String
        public var values: [String]
        public init(questionId: String, values: [String]) {
            self.questionId = questionId
            self.values = values
        }
    }

    public var id: String
    public var order: Int
    public var text: String
    public var kind: Kind
    public var answerType: AnswerType
    public var required: Bool
    public var options: [String]?
    public var min: Decimal?
    public var max: Decimal?
    public var condition: Condition?
    public var rows: [String]?
    public var columns: [String]?
    public var parts: [SurveyQuestion]?

    public init(id: String, order: Int, text: String, kind: Kind = .simple, answerType: AnswerType, required: Bool = false,
                options: [String]? = nil, min: Decimal? = nil, max: Decimal? = nil, condition: Condition? = nil,
                rows: [String]? = nil, columns: [String]? = nil, parts: [SurveyQuestion]? = nil) {
        self.id = id
        self.order = order
        self.text = text
        self.kind = kind
        self.answerType = answerType
        self.required = required
        self.options = options
        self.min = min
        self.max = max
        self.condition = condition
        self.rows = rows
        self.columns = columns
        self.parts = parts
    }

    enum CodingKeys: String, CodingKey {
        case id, order, text, kind, answerType, required, options, min, max, condition, rows, columns, parts
    }

    /// `kind` is simple, `required` false and `order` the position when not given.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        order = try c.decodeIfPresent(Int.self, forKey: .order) ?? 0
        text = try c.decode(String.self, forKey: .text)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .simple
        answerType = try c.decode(AnswerType.self, forKey: .answerType)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        options = try c.decodeIfPresent([String].self, forKey: .options)
        min = try c.decodeIfPresent(Decimal.self, forKey: .min)
        max = try c.decodeIfPresent(Decimal.self, forKey: .max)
        condition = try c.decodeIfPresent(Condition.self, forKey: .condition)
        rows = try c.decodeIfPresent([String].self, forKey: .rows)
        columns = try c.decodeIfPresent([String].self, forKey: .columns)
        parts = try c.decodeIfPresent([SurveyQuestion].self, forKey: .parts)
    }

    /// A scale question is 0…10, as NPS asks.
    public static let scaleRange: ClosedRange<Decimal> = 0...10
    public static let maxQuestions = 200, maxOptions = 100, maxTextLength = 2_000
}

public enum SurveyTemplateRules {
    /// The questions as the template will hold them: ids unique, conditions on earlier
    /// questions, options where a choice is asked, rows and columns for a table, simple parts
    /// for a complex question. Field names are `questions.<n>.<field>`.
    public static func validate(_ questions: [SurveyQuestion]) -> FieldErrors {
        var errors = FieldErrors()
        if questions.isEmpty { errors.add("questions", "must hold at least one question") }
        if questions.count > SurveyQuestion.maxQuestions { errors.add("questions", "must hold at most 200 questions") }
        var seen: [String: SurveyQuestion] = [:]
        for (index, q) in questions.sorted(by: { $0.order < $1.order }).enumerated() {
            let at = "questions.\(index)."
            check(q, at: at, into: &errors)
            if seen[q.id] != nil { errors.add(at + "id", "is given twice") }
            switch q.kind {
            case .conditional:
                if let condition = q.condition {
                    if let earlier = seen[condition.questionId] {
                        if earlier.kind == .table || earlier.kind == .complex { errors.add(at + "condition.questionId", "must name a simple or conditional question") }
                        if condition.values.isEmpty { errors.add(at + "condition.values", "must list at least one value") }
                    } else {
                        errors.add(at + "condition.questionId", "must name an earlier question")
                    }
                } else {
                    errors.add(at + "condition", "is required for a conditional question")
                }
            case .table:
                if (q.rows ?? []).isEmpty { errors.add(at + "rows", "must list at least one row") }
                if (q.columns ?? []).isEmpty { errors.add(at + "columns", "must list at least one column") }
                if Set(q.rows ?? []).count != (q.rows ?? []).count { errors.add(at + "rows", "are given twice") }
                if Set(q.columns ?? []).count != (q.columns ?? []).count { errors.add(at + "columns", "are given twice") }
            case .complex:
                let parts = q.parts ?? []
                if parts.isEmpty { errors.add(at + "parts", "must list at least one question") }
                if Set(parts.map(\.id)).count != parts.count { errors.add(at + "parts", "hold an id twice") }
                for (p, part) in parts.enumerated() {
                    if part.kind != .simple { errors.add(at + "parts.\(p).kind", "must be simple") }
                    check(part, at: at + "parts.\(p).", into: &errors)
                }
            case .simple: break
            }
            if q.kind != .conditional, q.condition != nil { errors.add(at + "condition", "is only for a conditional question") }
            seen[q.id] = q
        }
        return errors
    }

    private static func check(_ q: SurveyQuestion, at: String, into errors: inout FieldErrors) {
        if q.id.isEmpty || q.id.count > 64 { errors.add(at + "id", "must be 1 to 64 characters") }
        if q.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add(at + "text", "is required") }
        if q.text.count > SurveyQuestion.maxTextLength { errors.add(at + "text", "must be at most 2000 characters") }
        let options = q.options ?? []
        switch q.answerType {
        case .oneOf, .severalOf:
            if options.isEmpty { errors.add(at + "options", "must list at least one option") }
            if Set(options).count != options.count { errors.add(at + "options", "are given twice") }
            if options.count > SurveyQuestion.maxOptions { errors.add(at + "options", "must list at most 100 options") }
        default:
            if !options.isEmpty { errors.add(at + "options", "are only for oneOf and severalOf") }
        }
        if let min = q.min, let max = q.max, min > max { errors.add(at + "max", "must not be below min") }
        if (q.min != nil || q.max != nil), q.answerType != .number { errors.add(at + "min", "is only for a number") }
    }
}
