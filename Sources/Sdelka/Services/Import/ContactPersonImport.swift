import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `contact-persons` CSV import: `partner_code,name,position,phone,email`. A contact person has
/// no external code, so a re-import finds the person by partner and name (case and spacing
/// ignored) and updates the position, phone and e-mail instead of adding a twin.
final class ContactPersonImport: BatchedCSVImport, @unchecked Sendable {
    static let columns = ["partner_code", "name", "position", "phone", "email"]

    override var analyzedTables: [String] { ["contact_persons", "contact_details"] }

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool) {
        super.init(db: db, author: author, scope: scope, partial: partial, columns: Self.columns, required: ["partner_code", "name"])
    }

    override var touchesSearchDocuments: Bool { true }

    /// Whether any contact person existed when the import began. If none did (a first load),
    /// no line can meet a stored person (the file's own repeats are refused), so batches read
    /// nothing back: each is built while the previous one is written.
    private var storedBefore = true

    override func prepare() async throws {
        storedBefore = try await !DeferredIndexes.isEmpty(ContactPerson.schema, on: db.sql)
        if !storedBefore { try await readPartnersAtOnce() }
    }

    private struct Row {
        var line: Int
        var id = TimeOrderedID.make()
        var partnerID: UUID
        var name: String
        var position: String?
        var phone: String?
        var email: String?

        var key: String { Self.key(partnerID, name) }
        static func key(_ partner: UUID, _ name: String) -> String { partner.text + "/" + SearchText.normalize(name) }

        var fields: [String: JSONValue] {
            func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
            return ["partnerId": .string(partnerID.text), "name": .string(name), "position": text(position),
                    "phone": text(phone), "email": text(email)]
        }
    }

    private struct Existing: Decodable {
        var id: UUID
        var partner_id: UUID
        var name: String
        var position: String?
    }

    private struct Line: Decodable {
        var owner_id: UUID
        var type: String
        var value: String
    }

    override func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {
        let partner = try await partners(named: records.compactMap { header.value($0, "partner_code") })
        let parsed = records.map { parse($0, header: header, partner: partner) }
        // The same person twice in the file: a later line would update the one before it.
        let keys = parsed.compactMap { line in line.key.map { (key: SeenKeys.Key(space: .person, text: $0), line: line.line) } }
        let repeated = try await refuseRepeats(keys, column: "name") { "the same person of this partner is on line \($0)" }
        let rows = parsed.compactMap { repeated.contains($0.line) ? nil : $0.row }
        guard !rows.isEmpty else { return }
        if storedBefore { try await settle() }
        let people = !storedBefore ? [] : try await db.sql.select().columns("id", "partner_id", "name", "position").from(ContactPerson.schema)
            .where("partner_id", .in, SQLBind.group(Array(Set(rows.map(\.partnerID)))))
            .where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .all(decoding: Existing.self)
        let byKey = Dictionary(people.map { (Row.key($0.partner_id, $0.name), $0) }, uniquingKeysWith: { first, _ in first })
        let lines = people.isEmpty ? [] : try await db.sql.select().columns("owner_id", "type", "value").from(ContactDetail.schema)
            .where("owner_type", .equal, SQLBind(ContactDetail.OwnerType.contactPerson.rawValue))
            .where("owner_id", .in, SQLBind.group(people.map(\.id)))
            .where("type", .in, SQLBind.group(["phone", "email"]))
            .orderBy("position").all(decoding: Line.self)

        var writes: [(Row, [String: JSONValue]?)] = []
        for var row in rows {
            guard let old = byKey[row.key] else { writes.append((row, nil)); continue }
            row.id = old.id
            let phone = lines.first { $0.owner_id == old.id && $0.type == "phone" }?.value
            let email = lines.first { $0.owner_id == old.id && $0.type == "email" }?.value
            // An empty cell leaves what is stored: the file may carry only some of the columns.
            row.position = row.position ?? old.position
            row.phone = row.phone ?? phone
            row.email = row.email ?? email
            let before = Row(line: 0, id: old.id, partnerID: old.partner_id, name: old.name, position: old.position, phone: phone, email: email).fields
            if FieldChange.diff(old: before, new: row.fields).isEmpty { continue }
            writes.append((row, before))
        }
        guard writing, !writes.isEmpty else { return }
        for (_, before) in writes { if before == nil { report.created += 1 } else { report.updated += 1 } }
        let author = self.author
        try await startWriting { [self, writes] in
            try await save(writes)
            try await BulkAudit.insert(writes.map { row, before in
                BulkAudit.Entry(action: before == nil ? .create : .update, objectType: ContactPerson.objectType, objectID: row.id,
                                changes: FieldChange.diff(old: before, new: row.fields))
            }, by: author, on: db)
        }
        // After the batch's own writes, which the documents are made from.
        try await searchDocumentsChanged(new: [], changed: writes.map(\.0.partnerID))
    }

    /// A line as read: the person's key (partner and name) when both are known, even if the
    /// line is refused, and the row when every field is right.
    private struct Parsed {
        var line: Int
        var key: String?
        var row: Row?
    }

    private func parse(_ record: CSVParser.Record, header: CSVHeader, partner: (String) -> PartnerRef?) -> Parsed {
        let line = record.line
        let before = problemCount
        func value(_ column: String) -> String? { header.value(record, column) }
        var partnerID: UUID?
        if let code = value("partner_code") {
            if let partner = partner(code), scope.allows(partner.group) { partnerID = partner.id }
            else { report.fail(line, "partner_code", "no partner with this code") }
        } else {
            report.fail(line, "partner_code", "is required")
        }
        let name = value("name") ?? ""
        if name.isEmpty { report.fail(line, "name", "is required") }
        let phone = value("phone"), email = value("email")
        if let phone, Phone.normalize(phone).count < 5 { report.fail(line, "phone", "is not a phone number") }
        if let email, !EmailAddress.looksValid(email) { report.fail(line, "email", "is not an e-mail address") }
        let key = partnerID.flatMap { name.isEmpty ? nil : Row.key($0, name) }
        guard problemCount == before, let partnerID else { return Parsed(line: line, key: key) }
        return Parsed(line: line, key: key, row: Row(line: line, partnerID: partnerID, name: name, position: value("position"), phone: phone, email: email))
    }

    private func save(_ writes: [(Row, [String: JSONValue]?)]) async throws {
        let now = Date()
        let created = writes.filter { $0.1 == nil }.map(\.0), updated = writes.filter { $0.1 != nil }.map(\.0)
        var people = JSONRowsInsert(table: ContactPerson.schema, columns: [
            ("id", .uuid), ("partner_id", .uuid), ("name", .text), ("position", .text), ("search_text", .text)])
        people.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        try await people.run(created.map { row in
            [.uuid(row.id), .uuid(row.partnerID), .text(row.name), .text(row.position), .text(SearchText.normalize(row.name, row.position))]
        }, on: db.sql)
        for row in updated {
            try await db.sql.update(ContactPerson.schema)
                .set("position", to: SQLBind(row.position)).set("search_text", to: SQLBind(SearchText.normalize(row.name, row.position)))
                .set("updated_at", to: SQLBind(now))
                .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
                .where("id", .equal, SQLBind(row.id)).run()
        }
        if !updated.isEmpty {
            try await db.sql.delete(from: ContactDetail.schema)
                .where("owner_type", .equal, SQLBind(ContactDetail.OwnerType.contactPerson.rawValue))
                .where("owner_id", .in, SQLBind.group(updated.map(\.id)))
                .where("type", .in, SQLBind.group(["phone", "email"])).run()
        }
        let details = writes.map(\.0).flatMap { row in
            [(row, ContactDetail.DetailType.phone, row.phone), (row, .email, row.email)].compactMap { row, type, value in value.map { (row, type, $0) } }
        }
        var lines = JSONRowsInsert(table: ContactDetail.schema, columns: [
            ("id", .uuid), ("owner_id", .uuid), ("partner_id", .uuid), ("position", .int), ("type", .text), ("value", .text), ("normalized", .text)])
        lines.constants = [("owner_type", ContactDetail.OwnerType.contactPerson.rawValue), ("kind", "")]
        // Phone and e-mail go after the lines kept (other types), in that order.
        try await lines.run(details.map { row, type, value in
            [.uuid(TimeOrderedID.make()), .uuid(row.id), .uuid(row.partnerID), .int(type == .phone ? 1000 : 1001), .text(type.rawValue),
             .text(value), .text(ContactDetail.normalize(value, type: type))]
        }, on: db.sql)
    }
}
