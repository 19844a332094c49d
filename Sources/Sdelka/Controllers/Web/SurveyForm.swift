import Foundation
import SdelkaCore
import Vapor

/// A questionnaire as an HTML form, for the respondent's personal link and for a manager's
/// interview alike: one control per answer (`q_<id>`, as the contract names it; a choice of
/// several `q_<id>.<option>`, a table cell `q_<id>.<row>.<column>`, a complex part `q_<id>.<part>`), and the posted fields
/// read back into the answers `SurveyAnswers` checks.
enum SurveyForm {
    struct Option: Encodable, Sendable { var name: String; var value: String; var label: String; var checked: Bool }

    struct Control: Encodable, Sendable {
        var type: String
        var name: String
        var value: String
        var options: [Option]
        var min: String?
        var max: String?
    }

    struct Cell: Encodable, Sendable { var controls: [Control]; var error: String? }
    struct Row: Encodable, Sendable { var label: String; var cells: [Cell] }
    struct Part: Encodable, Sendable { var label: String; var required: Bool; var controls: [Control]; var error: String? }

    struct Question: Encodable, Sendable {
        var id: String
        var number: Int
        var text: String
        var required: Bool
        var kind: String
        /// For a conditional question: the question it depends on and the values that show it.
        var conditionName: String?
        var conditionValues: String?
        var hidden: Bool
        /// One control (a list, so that templates loop over it), or none for a table or a group.
        var controls: [Control]
        var columns: [String]
        var rows: [Row]
        var parts: [Part]
        var error: String?
    }

    static func questions(_ questions: [SurveyQuestion], answers: [String: JSONValue], errors: [String: String], t: [String: String]) -> [Question] {
        let sorted = questions.sorted { $0.order < $1.order }
        return sorted.enumerated().map { index, q in
            let at = "q_\(q.id)"
            var view = Question(id: q.id, number: index + 1, text: q.text, required: q.required, kind: q.kind.rawValue,
                                hidden: !SurveyAnswers.isAsked(q, answers: answers), controls: [], columns: [], rows: [], parts: [],
                                error: errors["answers.\(q.id)"])
            if let condition = q.condition {
                view.conditionName = "q_\(condition.questionId)"
                view.conditionValues = condition.values.joined(separator: "\u{1F}")
            }
            switch q.kind {
            case .simple, .conditional:
                view.controls = [control(q, name: at, value: answers[q.id], t: t)]
            case .table:
                view.columns = q.columns ?? []
                var table: [String: JSONValue] = [:]
                if case .object(let given)? = answers[q.id] { table = given }
                view.rows = (q.rows ?? []).enumerated().map { r, row in
                    var cells: [String: JSONValue] = [:]
                    if case .object(let given)? = table[row] { cells = given }
                    return Row(label: row, cells: (q.columns ?? []).enumerated().map { c, column in
                        Cell(controls: [control(q, name: "\(at).\(r).\(c)", value: cells[column], t: t)],
                             error: errors["answers.\(q.id).\(row).\(column)"])
                    })
                }
            case .complex:
                var given: [String: JSONValue] = [:]
                if case .object(let parts)? = answers[q.id] { given = parts }
                view.parts = (q.parts ?? []).enumerated().map { p, part in
                    Part(label: part.text, required: part.required || q.required,
                         controls: [control(part, name: "\(at).\(p)", value: given[part.id], t: t)], error: errors["answers.\(q.id).\(part.id)"])
                }
            }
            return view
        }
    }

    static func control(_ q: SurveyQuestion, name: String, value: JSONValue?, t: [String: String]) -> Control {
        let texts = SurveyAnswers.texts(value)
        let current = texts.first ?? ""
        switch q.answerType {
        case .string: return Control(type: "text", name: name, value: current, options: [])
        case .text: return Control(type: "textarea", name: name, value: current, options: [])
        case .number: return Control(type: "number", name: name, value: current, options: [], min: q.min.map { "\($0)" }, max: q.max.map { "\($0)" })
        case .date: return Control(type: "date", name: name, value: current, options: [])
        case .reference: return Control(type: "text", name: name, value: current, options: [])
        case .boolean:
            return Control(type: "radio", name: name, value: current, options: [
                Option(name: name, value: "true", label: t["yes"] ?? "да", checked: current == "true"),
                Option(name: name, value: "false", label: t["no"] ?? "нет", checked: current == "false")])
        case .oneOf:
            return Control(type: "radio", name: name, value: current, options: (q.options ?? []).map {
                Option(name: name, value: $0, label: $0, checked: current == $0)
            })
        case .severalOf:
            return Control(type: "checkbox", name: name, value: "", options: (q.options ?? []).enumerated().map { index, option in
                Option(name: "\(name).\(index)", value: option, label: option, checked: texts.contains(option))
            })
        case .scale:
            return Control(type: "scale", name: name, value: current, options: (0...10).map {
                Option(name: name, value: "\($0)", label: "\($0)", checked: current == "\($0)")
            })
        }
    }

    /// The posted form as answers, typed later by `SurveyAnswers.check`.
    static func answers(from form: PostedForm, questions: [SurveyQuestion]) -> [String: JSONValue] {
        var answers: [String: JSONValue] = [:]
        func value(_ q: SurveyQuestion, _ name: String) -> JSONValue? {
            if q.answerType == .severalOf {
                let chosen = (q.options ?? []).enumerated().compactMap { index, _ in form.text("\(name).\(index)") }
                return chosen.isEmpty ? nil : .array(chosen.map(JSONValue.string))
            }
            return form.text(name).flatMap { $0.isEmpty ? nil : JSONValue.string($0) }
        }
        for q in questions {
            let at = "q_\(q.id)"
            switch q.kind {
            case .simple, .conditional:
                if let v = value(q, at) { answers[q.id] = v }
            case .table:
                var table: [String: JSONValue] = [:]
                for (r, row) in (q.rows ?? []).enumerated() {
                    var cells: [String: JSONValue] = [:]
                    for (c, column) in (q.columns ?? []).enumerated() { if let v = value(q, "\(at).\(r).\(c)") { cells[column] = v } }
                    if !cells.isEmpty { table[row] = .object(cells) }
                }
                if !table.isEmpty { answers[q.id] = .object(table) }
            case .complex:
                var parts: [String: JSONValue] = [:]
                for (p, part) in (q.parts ?? []).enumerated() { if let v = value(part, "\(at).\(p)") { parts[part.id] = v } }
                if !parts.isEmpty { answers[q.id] = .object(parts) }
            }
        }
        return answers
    }
}
