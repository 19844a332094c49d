import SdelkaCore
import Vapor

/// The one way a record form is saved: on success a redirect with a confirmation, on field
/// errors or a version conflict the form again with the errors in the user's language and
/// everything typed kept.
enum FormFlow {
    /// `write` saves and answers the page to go to next.
    static func save(_ req: Request, flashKey: String, name: String,
                     write: () async throws -> String,
                     rerender: ([String: String]) async throws -> Response) async throws -> Response {
        var failure: [String: String]
        do {
            let next = try await write()
            return WebPage.redirect(req, to: next, flash: WebPage.text(req, flashKey, ["name": name]))
        } catch let errors as FieldErrors {
            failure = errors.fields
        } catch is VersionConflict {
            failure = ["form": WebPage.text(req, "error_version_conflict")]
        } catch {
            guard let answer = APIError(answering: error), answer.fields != nil || answer.status == .conflict else { throw error }
            failure = answer.fields ?? ["form": answer.message]
        }
        return try await rerender(FormErrors.localize(failure, req))
    }

    static func contactTypes(_ t: [String: String]) -> [FormOption] {
        ContactDetail.DetailType.allCases.map { FormOption(value: $0.rawValue, label: t["contact_type_\($0.rawValue)"] ?? $0.rawValue, selected: false) }
    }

    /// The stored or posted contact lines, then blank ones to add more.
    static func contactRows(stored: [ContactDTO], form: PostedForm?, errors: [String: String]) -> [ContactRow] {
        let lines = form?.contacts() ?? stored
        var rows = lines.enumerated().map { index, c in
            ContactRow(index: index, type: c.type, kind: c.kind, value: c.value,
                       error: errors["contacts.\(index).value"] ?? errors["contacts.\(index).type"])
        }
        let defaults = ["phone", "email", "address"]
        for extra in 0..<max(2, 3 - rows.count) {
            rows.append(ContactRow(index: rows.count, type: defaults[min(extra, 2)], kind: "", value: "", error: nil))
        }
        return rows
    }
}

/// Builds form fields from posted values first (nothing typed is lost), then stored ones.
struct FieldMaker {
    let t: [String: String]
    let form: PostedForm?
    let errors: [String: String]

    func label(_ key: String) -> String { t[key] ?? key }

    func value(_ name: String, _ stored: String?) -> String {
        if let form { return form[name] ?? "" }
        return stored ?? ""
    }

    func field(_ name: String, _ key: String, _ type: FormField.Kind = .text, stored: String? = nil,
               required: Bool = false, wide: Bool = false, hint: String? = nil) -> FormField {
        FormField(name: name, label: label(key), type: type, value: value(name, stored), hint: hint.map(label),
                  required: required, wide: wide).withError(errors)
    }

    func select(_ name: String, _ key: String, _ options: [(String, String)], stored: String?, blank: String? = "—") -> FormField {
        FormField(name: name, label: label(key), type: .select,
                  options: FormOptions.make(options, selected: value(name, stored), blank: blank)).withError(errors)
    }

    func checkbox(_ name: String, _ key: String, stored: Bool?, default fallback: Bool = false) -> FormField {
        let checked = form.map { $0.flag(name) } ?? stored ?? fallback
        return FormField(name: name, label: label(key), type: .checkbox, value: checked ? "true" : "false")
    }

    /// A group of checkboxes posted as `<name>.<value>=true`.
    func checkboxes(_ name: String, _ key: String, _ options: [(String, String)], stored: Set<String>) -> FormField {
        let chosen = form.map { posted in Set(options.map(\.0).filter { posted.flag("\(name).\($0)") }) } ?? stored
        return FormField(name: name, label: label(key), type: .checkboxes,
                         options: options.map { FormOption(value: $0.0, label: $0.1, selected: chosen.contains($0.0)) }).withError(errors)
    }
}
