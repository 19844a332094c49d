import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `counterparties` CSV import: `code,partner_code,name,legal_form,inn,kpp,ogrn`, upserted by
/// `code` in multi-row statements, with the rules of the API: registration numbers, INN+KPP
/// duplicates, one counterparty per partner when independent ones are off, the partner's
/// access group, and name and KPP history kept on change.
final class CounterpartyImport: BatchedCSVImport, @unchecked Sendable {
    static let columns = ["code", "partner_code", "name", "legal_form", "inn", "kpp", "ogrn"]

    private let today: CalendarDate
    private var independent = true

    override var analyzedTables: [String] { ["counterparties"] }
    override var indexesDeferredWhenEmpty: [String] { [Counterparty.schema] }

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool, today: CalendarDate) {
        self.today = today
        super.init(db: db, author: author, scope: scope, partial: partial, columns: Self.columns,
                   required: ["code", "partner_code", "name"])
    }

    /// Whether any counterparty existed when the import began. If none did (a first load), no
    /// line can meet a stored code, INN and KPP or partner's counterparty (the file's own
    /// repeats are caught as it is read), so batches do not read the database: each is built
    /// while the previous one is written.
    private var storedBefore = true

    override func prepare() async throws {
        independent = try await SettingsStore.features(on: db).isEnabled(.independentCounterparties)
        storedBefore = try await !DeferredIndexes.isEmpty(Counterparty.schema, on: db.sql)
        if !storedBefore { try await readPartnersAtOnce() }
    }

    private struct Row {
        var line: Int
        var id = TimeOrderedID.make()
        var code: String
        var partnerID: UUID
        var name: String
        var legalForm: LegalForm
        var inn: String?
        var kpp: String?
        var ogrn: String?
        var nameHistory = "[]"
        var kppHistory = "[]"

        var fields: [String: JSONValue] {
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            return ["code": .string(code), "partnerId": .string(partnerID.text), "name": .string(name),
                    "legalForm": .string(legalForm.rawValue), "inn": text(inn), "kpp": text(kpp), "ogrn": text(ogrn)]
        }
    }

    private struct Existing: Decodable {
        var id: UUID
        var code: String?
        var partner_id: UUID
        var name: String
        var legal_form: String
        var inn: String?
        var kpp: String?
        var ogrn: String?
        var head_counterparty_id: UUID?
        var name_history: String
        var kpp_history: String
    }

    private static let unresolved = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// A line as read, before its partner is looked up and its keys compared with the rest of
    /// the file (`row` is nil when a field was wrong).
    private struct Parsed {
        var line: Int
        var code: String?
        var partnerCode: String?
        /// The INN and KPP, when both are valid.
        var innKPP: String?
        var partner: PartnerRef?
        var row: Row?
    }

    override func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {
        var parsed = records.map { parse($0, header: header) }
        let partner = try await partners(named: parsed.compactMap(\.partnerCode))
        for index in parsed.indices { parsed[index].partner = parsed[index].partnerCode.flatMap(partner) }
        for index in parsed.indices where parsed[index].partnerCode != nil {
            guard let partner = parsed[index].partner, scope.allows(partner.group) else {
                report.fail(parsed[index].line, "partner_code", "no partner with this code")
                parsed[index].partner = nil
                parsed[index].row = nil
                continue
            }
            parsed[index].row?.partnerID = partner.id
        }
        try await refuseRepeatedKeys(&parsed)
        let rows = parsed.compactMap(\.row)
        guard !rows.isEmpty else { return }
        let existing = storedBefore ? try await load("code", rows.map(\.code)) : []
        let byCode = Dictionary(existing.compactMap { e in e.code.map { ($0, e) } }, uniquingKeysWith: { first, _ in first })
        let twins = storedBefore ? try await load("inn", Array(Set(rows.compactMap(\.inn)))) : []
        let others = independent || !storedBefore ? [] : try await load("partner_id", Array(Set(rows.map(\.partnerID))))

        var writes: [(Row, Existing?)] = []
        for var row in rows {
            let old = byCode[row.code]
            if let old, old.partner_id != row.partnerID {
                report.fail(row.line, "partner_code", "the counterparty belongs to another partner; merge the partners instead")
                continue
            }
            if let twin = twins.first(where: { $0.inn == row.inn && $0.kpp == row.kpp && $0.code != row.code && $0.head_counterparty_id == nil }) {
                // Named only to those who see every partner: the twin may be of a hidden one.
                report.fail(row.line, "inn", scope == .all ? "a counterparty with this INN and KPP already exists: \(twin.name)"
                                                          : "a counterparty with this INN and KPP already exists")
                continue
            }
            if !independent, others.contains(where: { $0.partner_id == row.partnerID && $0.code != row.code }) {
                report.fail(row.line, "partner_code", "already has a counterparty; several per partner are switched off in settings")
                continue
            }
            if let old {
                row.id = old.id
                row.nameHistory = old.name != row.name ? appending(old.name, to: old.name_history) : old.name_history
                row.kppHistory = old.kpp != nil && old.kpp != row.kpp ? appending(old.kpp!, to: old.kpp_history) : old.kpp_history
                if FieldChange.diff(old: Self.fields(old), new: row.fields).isEmpty { continue }
            }
            writes.append((row, old))
        }
        guard writing, !writes.isEmpty else { return }
        for (_, old) in writes { if old == nil { report.created += 1 } else { report.updated += 1 } }
        try await startWriting([
            upsert(writes.map(\.0)),
            BulkAudit.statement(writes.map { row, old in
                BulkAudit.Entry(action: old == nil ? .create : .update, objectType: Counterparty.objectType, objectID: row.id,
                                changes: FieldChange.diff(old: old.map(Self.fields), new: row.fields))
            }, by: author, for: db.sql),
        ])
    }

    /// Everything a line can be checked for without the database.
    private func parse(_ record: CSVParser.Record, header: CSVHeader) -> Parsed {
        let line = record.line
        let before = problemCount
        func value(_ column: String) -> String? { header.value(record, column) }
        let code = value("code") ?? ""
        if code.isEmpty { report.fail(line, "code", "is required: it is the key that makes re-imports update") }
        let partnerCode = value("partner_code")
        if partnerCode == nil { report.fail(line, "partner_code", "is required") }
        let name = value("name") ?? ""
        if name.isEmpty { report.fail(line, "name", "is required") }
        let form = LegalForm(rawValue: value("legal_form") ?? LegalForm.legalEntity.rawValue)
        if form == nil { report.fail(line, "legal_form", "must be one of: " + LegalForm.allCases.map(\.rawValue).joined(separator: ", ")) }
        let inn = value("inn"), kpp = value("kpp"), ogrn = value("ogrn")
        let numbers = RegistrationNumbers.validate(inn: inn, kpp: kpp, ogrn: ogrn, legalForm: form ?? .legalEntity)
        for column in ["inn", "kpp", "ogrn"] { if let problem = numbers.fields[column] { report.fail(line, column, problem) } }
        var parsed = Parsed(line: line, code: code.isEmpty ? nil : code, partnerCode: partnerCode,
                            innKPP: numbers.isEmpty ? inn.map { $0 + "/" + (kpp ?? "") } : nil)
        if problemCount == before, let form {
            parsed.row = Row(line: line, code: code, partnerID: Self.unresolved, name: name, legalForm: form, inn: inn, kpp: kpp, ogrn: ogrn)
        }
        return parsed
    }

    /// Refuses the lines that repeat an earlier line's code, INN and KPP, or (with one
    /// counterparty per partner) partner. Every line's keys count, even a line refused for
    /// another reason, so that each repeat names the line that had the key first.
    private func refuseRepeatedKeys(_ parsed: inout [Parsed]) async throws {
        func keys(_ space: SeenKeys.Space, _ text: (Parsed) -> String?) -> [(key: SeenKeys.Key, line: Int)] {
            parsed.compactMap { line in text(line).map { (SeenKeys.Key(space: space, text: $0), line.line) } }
        }
        var refused = try await refuseRepeats(keys(.code, \.code), column: "code") { "appears twice in the file (first on line \($0))" }
        refused.formUnion(try await refuseRepeats(keys(.innKPP, \.innKPP), column: "inn") { "the same INN and KPP are on line \($0)" })
        if !independent {
            refused.formUnion(try await refuseRepeats(keys(.partner, { $0.partner?.id.text }), column: "partner_code") {
                "the partner's counterparty is already on line \($0); several per partner are switched off in settings"
            })
        }
        for index in parsed.indices where refused.contains(parsed[index].line) { parsed[index].row = nil }
    }

    private static func fields(_ e: Existing) -> [String: JSONValue] {
        Row(line: 0, id: e.id, code: e.code ?? "", partnerID: e.partner_id, name: e.name,
            legalForm: LegalForm(rawValue: e.legal_form) ?? .legalEntity, inn: e.inn, kpp: e.kpp, ogrn: e.ogrn).fields
    }

    private func load(_ column: String, _ values: [some Encodable & Sendable]) async throws -> [Existing] {
        guard !values.isEmpty else { return [] }
        try await settle()
        return try await db.sql.select()
            .columns("id", "code", "partner_id", "name", "legal_form", "inn", "kpp", "ogrn", "head_counterparty_id", "name_history", "kpp_history")
            .from(Counterparty.schema).where(SQLIdentifier(column), .in, SQLBind.group(values))
            .where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .all(decoding: Existing.self)
    }

    /// The old value is kept with yesterday as its last day, as the API does.
    private func appending(_ value: String, to history: String) -> String {
        var entries = (try? JSONDecoder().decode([HistoryEntry].self, from: Data(history.utf8))) ?? []
        entries.append(HistoryEntry(value: value, until: today.adding(days: -1).description))
        return String(decoding: (try? JSONEncoder().encode(entries)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private func upsert(_ rows: [Row]) -> SQLQueryString? {
        let now = Date()
        var insert = JSONRowsInsert(table: Counterparty.schema, columns: [
            ("id", .uuid), ("code", .text), ("partner_id", .uuid), ("name", .text), ("full_name", .text), ("legal_form", .text),
            ("inn", .text), ("kpp", .text), ("ogrn", .text), ("name_history", .text), ("kpp_history", .text), ("search_text", .text),
        ])
        insert.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        insert.conflict = .init(target: ["code"], update: [
            "name", "legal_form", "inn", "kpp", "ogrn", "name_history", "kpp_history", "search_text", "updated_at"])
        return insert.statement(rows.map { row in
            [.uuid(row.id), .text(row.code), .uuid(row.partnerID), .text(row.name), .text(row.name), .text(row.legalForm.rawValue),
             .text(row.inn), .text(row.kpp), .text(row.ogrn), .text(row.nameHistory), .text(row.kppHistory),
             .text(SearchText.normalize(row.name, row.name, row.inn, row.code))]
        }, for: db.sql)
    }
}
