import Vapor

/// A form described as data, so that one template (`record-form`) draws every record form
/// the same way: labels, inline errors, hints, selects and partner look-ups.
struct FormField: Encodable, Sendable {
    enum Kind: String, Encodable, Sendable { case text, email, date, number, select, checkbox, checkboxes, textarea, lookup, file, datetime = "datetime-local" }

    var name: String
    var label: String
    var type: Kind = .text
    var value: String = ""
    /// What a look-up field shows for its current value.
    var display: String = ""
    /// The JSON source a look-up field asks as the user types.
    var lookup: String = ""
    var options: [FormOption] = []
    var error: String?
    var hint: String?
    var required = false
    var wide = false
    /// Shown only while the form's kind is "person" (gender, birth date).
    var personOnly = false
}

struct FormOption: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool
}

/// One participant line of a marketing event form.
struct ParticipantRow: Encodable, Sendable {
    var index: Int
    var partnerId: String
    var partnerName: String
    var contactPersonId: String
    var contactPersonName: String
    var role: String
    var invited: Bool
    var attended: Bool
    var error: String?
}

struct HiddenField: Encodable, Sendable {
    var name: String
    var value: String
}

struct FormSection: Encodable, Sendable {
    var title: String?
    var fields: [FormField]
}

/// One line of a contact-information table in a form.
struct ContactRow: Encodable, Sendable {
    var index: Int
    var type: String
    var kind: String
    var value: String
    var error: String?
}

struct RecordForm: Encodable, Sendable {
    var heading: String
    var back: String
    var backLabel: String
    var action: String
    var id: UUID?
    var version: Int
    var deletionMark: Bool
    var canEdit: Bool
    var formError: String?
    var sections: [FormSection]
    var hasContacts: Bool
    var contacts: [ContactRow]
    var contactTypes: [FormOption]
    var duplicates: [DuplicateRow]
    var history: [AuditPages.Row]
    var hidden: [HiddenField] = []
    /// Where `/delete` and `/restore` are posted; nil for a new record or when the page has its own.
    var deleteAction: String?
    var participants: [ParticipantRow]? = nil
    /// Links to what hangs off the record (a counterparty's agreements, contracts and sales).
    var related: [RelatedLink] = []
    /// Sent as `multipart/form-data`: the form has a file field.
    var multipart = false

    struct RelatedLink: Encodable, Sendable {
        var href: String
        var label: String
    }

    struct DuplicateRow: Encodable, Sendable {
        var id: UUID
        var name: String
        var reasons: String
    }
}

/// The posted fields of a form, flat: `name=…`, `counterparty.inn=…`, `contacts.0.value=…`.
struct PostedForm: Sendable {
    let values: [String: String]
    /// Files of a `multipart/form-data` form, in the order sent.
    var files: [UploadedFile] = []

    init(_ req: Request) throws {
        if req.headers.contentType?.type == "multipart", let boundary = req.headers.contentType?.parameters["boundary"], let body = req.body.data {
            (values, files) = try UploadedFile.parse(body, boundary: boundary)
        } else {
            values = (try? req.content.decode([String: String].self)) ?? [:]
        }
    }

    /// Values filled in beforehand (a form opened from somewhere that knows part of the answer).
    init(values: [String: String]) {
        self.values = values
    }

    subscript(_ name: String) -> String? { values[name] }

    /// A text field: nil when empty, so that the service leaves or clears it uniformly.
    func text(_ name: String) -> String? { values[name] }

    func flag(_ name: String) -> Bool { ["true", "on", "1"].contains(values[name] ?? "") }

    func uuid(_ name: String) -> UUID? { values[name].flatMap { UUID(uuidString: $0) } }

    /// Names of optional references sent empty: they are to be cleared.
    func empty(_ names: [String]) -> Set<String> {
        Set(names.filter { values[$0] != nil && values[$0]!.isEmpty })
    }

    /// The values of a checkbox group posted as `<name>.<value>=true`.
    func chosen(_ name: String) -> [String] {
        values.filter { $0.key.hasPrefix(name + ".") && ["true", "on"].contains($0.value) }.map { String($0.key.dropFirst(name.count + 1)) }.sorted()
    }

    /// `contacts.N.type|kind|value` rows that carry a value, in order.
    func contacts() -> [ContactDTO] {
        (0..<50).compactMap { index in
            guard let value = values["contacts.\(index).value"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return ContactDTO(type: values["contacts.\(index).type"] ?? "other", kind: values["contacts.\(index).kind"] ?? "",
                              value: value, validFrom: nil)
        }
    }
}

extension FormField {
    /// Fills `error` from the localized field errors keyed by API field name.
    func withError(_ errors: [String: String]) -> FormField {
        var copy = self
        copy.error = errors[name]
        return copy
    }
}

enum FormOptions {
    static func make(_ pairs: [(String, String)], selected: String?, blank: String? = nil) -> [FormOption] {
        var options = pairs.map { FormOption(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        if let blank { options.insert(FormOption(value: "", label: blank, selected: selected == nil || selected == ""), at: 0) }
        return options
    }
}
