import Foundation
import SdelkaCore
import Testing
@testable import Sdelka

/// Every user-visible string exists in both languages (UI.md).
@Suite struct LocalizationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func table(_ language: String) throws -> [String: String] {
        let data = try Data(contentsOf: root.appendingPathComponent("Resources/Localization/\(language).json"))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    static func matches(_ pattern: String, in directory: String, ext: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        var keys = Set<String>()
        let base = root.appendingPathComponent(directory)
        let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == ext {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                keys.insert(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        return keys
    }

    @Test func bothLanguagesHaveTheSameKeys() throws {
        let ru = try Self.table("ru"), en = try Self.table("en")
        #expect(Set(ru.keys).subtracting(en.keys).sorted() == [], "missing in en.json")
        #expect(Set(en.keys).subtracting(ru.keys).sorted() == [], "missing in ru.json")
        #expect(ru.values.allSatisfy { !$0.isEmpty } && en.values.allSatisfy { !$0.isEmpty })
    }

    @Test func everyKeyUsedInTemplatesAndCodeExists() throws {
        let ru = try Self.table("ru")
        let inTemplates = try Self.matches(#"\bt\.([A-Za-z_]+)"#, in: "Resources/Views", ext: "leaf")
        var inCode = Set<String>()
        for pattern in [#"(?:text\(req, |titleKey: |key: |flashKey: )"([a-z_]+)""#, #"\bt\["([a-z_]+)"\]"#, #"\blabel\("([a-z_]+)"\)"#,
                        #"(?:field|select|checkboxes|checkbox)\("[^"]*", "([a-z_]+)""#, #"hint: "([a-z_]+)""#] {
            inCode.formUnion(try Self.matches(pattern, in: "Sources/Sdelka/Web", ext: "swift"))
            inCode.formUnion(try Self.matches(pattern, in: "Sources/Sdelka/Controllers/Web", ext: "swift"))
        }
        #expect(!inTemplates.isEmpty && !inCode.isEmpty)
        #expect(inTemplates.union(inCode).subtracting(ru.keys).sorted() == [])
    }

    @Test func everyNamedValueHasALabel() throws {
        let ru = try Self.table("ru")
        var keys = Role.allCases.map { "role_\($0.rawValue)" }
        keys += FeatureSwitches.Feature.allCases.map { "feature_\($0.rawValue)" }
        keys += PeriodUnit.allCases.map { "unit_\($0.rawValue)" }
        keys += AuditEntry.Action.allCases.map { "audit_action_\($0.rawValue)" }
        keys += AuditPages.objectTypes.map { "object_\($0)" }
        keys += Partner.Kind.allCases.map { "kind_\($0.rawValue)" } + Partner.Gender.allCases.map { "gender_\($0.rawValue)" }
        keys += LegalForm.allCases.map { "legal_form_\($0.rawValue)" } + ContactDetail.DetailType.allCases.map { "contact_type_\($0.rawValue)" }
        keys += ["inn", "phone", "email", "name"].map { "duplicate_\($0)" }
        #expect(Set(keys).subtracting(ru.keys).sorted() == [])
    }

    /// A Russian user never reads an English validation message: every literal reason in the
    /// code has a Russian wording, numbers and details put back in their places.
    @Test func everyValidationReasonReadsInRussian() throws {
        let ru = try Self.table("ru")
        let reasons = try Self.matches(#"(?:add\("[^"]+", |validation\("[^"]+", |fail\([^"]*"[^"]*", |return )"([a-z][^"\\]*)""#, in: "Sources", ext: "swift")
            .filter { $0.contains(" ") }
            // The JSON type names of API decoding errors never reach a form.
            .subtracting(["a list", "a number", "a string", "an object of the right shape", "true or false"])
        #expect(reasons.count > 40)
        let untranslated = reasons.filter { FormErrors.localize($0, ru) == $0 }
        #expect(untranslated.sorted() == [])
        #expect(FormErrors.localize("check digit does not match: the 10th digit should be 3", ru)
                == "Не сходится контрольное число: 10-я цифра должна быть 3")
        #expect(FormErrors.localize("must be one of: phone, email", ru) == "Допустимые значения: phone, email")
    }
}

extension LocalizationTests {
    /// An interaction's history names every field it can record in both languages: its audit
    /// entries hold the fields of its API form (a call, a letter and an SMS between them have
    /// all of them), so no raw API name like «occurredAt» reaches the page.
    @Test func everyFieldOfAnInteractionsHistoryHasALabel() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            var fields = Set<String>()
            for body in [JSONObject(["type": "call", "topic": "Заказ", "description": "Счет", "incoming": true, "partnerId": partner.uuidString]),
                         JSONObject(["type": "email", "topic": "Письмо", "description": "Текст", "status": "draft", "partnerId": partner.uuidString,
                                     "to": "a@example.com"]),
                         JSONObject(["type": "sms", "topic": "SMS", "text": "Привет", "partnerId": partner.uuidString])] {
                let reply = try await admin.send(.POST, "/api/v1/interactions", json: body)
                #expect(reply.status == .created, "\(reply.text)")
                fields.formUnion(try reply.json().keys)
            }
            #expect(fields.contains("occurredAt") && fields.contains("to") && fields.contains("text"))
            fields.remove("version")  // never audited
            for language in ["ru", "en"] {
                let vocabulary = AuditVocabulary(strings: try Self.table(language), names: [:])
                #expect(fields.filter { vocabulary.label($0) == $0 }.sorted() == [], "\(language)")
            }
        }
    }
}
