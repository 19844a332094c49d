import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `partners` CSV import (ARCHITECTURE.md): streamed, validated row by row, written in batches
/// of multi-row upserts by `code`, audited in batches, all inside the caller's transaction.
/// Memory holds one batch and the links to parents; the codes seen, to catch a code repeated
/// in the file, are kept by `SeenKeys`.
final class PartnerImport: BatchedCSVImport, @unchecked Sendable {
    static let columns = ["code", "name", "full_name", "kind", "is_client", "is_supplier", "is_competitor",
                          "parent_code", "manager_login", "region", "access_group", "channel"]

    private var parentLinks: [(line: Int, code: String, parent: String)] = []
    private var lookups: Lookups?

    override var analyzedTables: [String] { ["partners", "primary_interests"] }
    override var indexesDeferredWhenEmpty: [String] { [Partner.schema, PrimaryInterest.schema] }

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool) {
        super.init(db: db, author: author, scope: scope, partial: partial, columns: Self.columns, required: ["code", "name"])
    }

    /// Whether any partner had a code when the import began. If none did (a first load), no
    /// line can name a stored partner (a code twice in the file is refused), so batches do not
    /// read the database: each is built while the previous one is written.
    private var codesStoredBefore = true

    override func prepare() async throws {
        lookups = try await Lookups.load(on: db)
        codesStoredBefore = try await db.sql.select().column("id").from(Partner.schema).where("code", .isNot, SQLLiteral.null)
            .limit(1).all().count > 0
    }

    override var touchesSearchDocuments: Bool { true }

    override func afterLastBatch() async throws {
        try await linkParents()
    }

    // MARK: - One batch

    private struct Row {
        var line: Int
        var id: UUID
        var fields: [String: JSONValue]
        var values: Values
        var channelID: UUID?
    }

    /// The columns written, in the order of `insertColumns`.
    private struct Values {
        var code: String, name: String, fullName: String, kind: String
        var isClient: Bool, isSupplier: Bool, isCompetitor: Bool
        var managerID: UUID?, regionID: UUID?, groupID: UUID?
    }

    override func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {
        guard let lookups else { return }
        let parsed = records.map { parse($0, header: header, lookups: lookups) }
        let codes = parsed.compactMap { line in line.code.map { (key: SeenKeys.Key(space: .code, text: $0), line: line.line) } }
        let repeated = try await refuseRepeats(codes, column: "code") { "appears twice in the file (first on line \($0))" }
        let rows = parsed.compactMap { repeated.contains($0.line) ? nil : $0.row }
        guard !rows.isEmpty else { return }

        var existing: [String: ExistingPartner] = [:]
        if codesStoredBefore {
            try await settle()
            existing = try await ExistingPartner.load(codes: rows.map(\.values.code), on: db)
        }
        var writes: [Row] = [], audits: [(Row, AuditEntry.Action, [String: JSONValue]?)] = []
        for var row in rows {
            if let old = existing[row.values.code] {
                guard scope.allows(old.access_group_id) else {
                    report.fail(row.line, "code", "belongs to a partner outside your access groups")
                    continue
                }
                row.id = old.id
                let before = old.fields
                if FieldChange.diff(old: before, new: row.fields).isEmpty { continue }
                writes.append(row)
                audits.append((row, .update, before))
            } else {
                writes.append(row)
                audits.append((row, .create, nil))
            }
        }
        // With errors in an all-or-nothing import nothing will be kept: skip the writes.
        if !partial && !report.errors.isEmpty { return }
        guard !writes.isEmpty else { return }
        for (_, action, _) in audits {
            if action == .create { report.created += 1 } else { report.updated += 1 }
        }
        let created = audits.filter { $0.1 == .create }.map(\.0)
        try await startWriting([
            upsert(writes), sources(created),
            BulkAudit.statement(audits.map { row, action, before in
                BulkAudit.Entry(action: action, objectType: Partner.objectType, objectID: row.id,
                                changes: FieldChange.diff(old: before, new: row.fields))
            }, by: author, for: db.sql),
        ])
        // After the batch's own writes, which the documents are made from.
        try await searchDocumentsChanged(new: created.map(\.id), changed: writes.map(\.id))
    }

    /// A line as read: its code, even when the line is refused (a later repeat names it), and
    /// the row to write when every field is right.
    private struct Parsed {
        var line: Int
        var code: String?
        var row: Row?
    }

    private func parse(_ record: CSVParser.Record, header: CSVHeader, lookups: Lookups) -> Parsed {
        let line = record.line
        let errorsBefore = problemCount
        func value(_ column: String) -> String? { header.value(record, column) }
        func flag(_ column: String, default fallback: Bool) -> Bool {
            guard let parsed = CSVValue.bool(value(column)) else {
                report.fail(line, column, "must be true or false")
                return fallback
            }
            return parsed ?? fallback
        }
        let code = value("code") ?? ""
        if code.isEmpty { report.fail(line, "code", "is required: it is the key that makes re-imports update") }
        let name = value("name") ?? ""
        if name.isEmpty { report.fail(line, "name", "is required") }
        let kind = value("kind") ?? "company"
        if Partner.Kind(rawValue: kind) == nil { report.fail(line, "kind", "must be company or person") }
        let isClient = flag("is_client", default: true)
        let isSupplier = flag("is_supplier", default: false)
        let isCompetitor = flag("is_competitor", default: false)
        let manager = value("manager_login").flatMap { login -> UUID? in
            guard let id = lookups.users[User.key(for: login)] else {
                report.fail(line, "manager_login", "no active user with this login"); return nil
            }
            return id
        }
        let region = value("region").flatMap { name -> UUID? in
            guard let id = lookups.regions[SearchText.normalize(name)] else {
                report.fail(line, "region", "no business region with this name"); return nil
            }
            return id
        }
        var group = value("access_group").flatMap { name -> UUID? in
            guard let id = lookups.groups[SearchText.normalize(name)] else {
                report.fail(line, "access_group", "no access group with this name"); return nil
            }
            if !scope.allows(id) { report.fail(line, "access_group", "is not one of your access groups"); return nil }
            return id
        }
        if group == nil, value("access_group") == nil, case .groups(let ids) = scope {
            if ids.count == 1 { group = ids.first } else { report.fail(line, "access_group", "is required: name one of your access groups") }
        }
        let channel = value("channel").flatMap { name -> UUID? in
            guard let id = lookups.channels[SearchText.normalize(name)] else {
                report.fail(line, "channel", "no advertising channel with this name"); return nil
            }
            return id
        }
        if let parent = value("parent_code") {
            if parent == code { report.fail(line, "parent_code", "cannot be the partner itself") }
            else { parentLinks.append((line, code, parent)) }
        }
        guard problemCount == errorsBefore else { return Parsed(line: line, code: code.isEmpty ? nil : code) }
        let values = Values(code: code, name: name, fullName: value("full_name") ?? name, kind: kind,
                            isClient: isClient, isSupplier: isSupplier, isCompetitor: isCompetitor,
                            managerID: manager, regionID: region, groupID: group)
        let row = Row(line: line, id: TimeOrderedID.make(), fields: ExistingPartner.fields(values.code, values.name, values.fullName, values.kind,
                                                                              values.isClient, values.isSupplier, values.isCompetitor,
                                                                              values.managerID, values.regionID, values.groupID),
                      values: values, channelID: channel)
        return Parsed(line: line, code: code, row: row)
    }

    private func upsert(_ rows: [Row]) -> SQLQueryString? {
        let now = Date()
        var insert = JSONRowsInsert(table: Partner.schema, columns: [
            ("id", .uuid), ("code", .text), ("name", .text), ("full_name", .text), ("kind", .text), ("is_client", .bool),
            ("is_supplier", .bool), ("is_competitor", .bool), ("main_manager_id", .uuid), ("business_region_id", .uuid),
            ("access_group_id", .uuid), ("search_text", .text), ("name_key", .text),
        ])
        insert.constants = [("is_other", false), ("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        insert.conflict = .init(target: ["code"], update: [
            "name", "full_name", "kind", "is_client", "is_supplier", "is_competitor", "main_manager_id",
            "business_region_id", "access_group_id", "search_text", "name_key", "updated_at"])
        return insert.statement(rows.map { row in
            let v = row.values
            return [.uuid(row.id), .text(v.code), .text(v.name), .text(v.fullName), .text(v.kind), .bool(v.isClient),
                    .bool(v.isSupplier), .bool(v.isCompetitor), .uuid(v.managerID), .uuid(v.regionID), .uuid(v.groupID),
                    .text(SearchText.normalize(v.name, v.fullName, v.code)), .text(PartnerName.key(v.name))]
        }, for: db.sql)
    }

    private func sources(_ created: [Row]) -> SQLQueryString? {
        var insert = JSONRowsInsert(table: PrimaryInterest.schema, columns: [("id", .uuid), ("partner_id", .uuid), ("channel_id", .uuid)])
        insert.constants = [("created_at", Date())]
        return insert.statement(created.compactMap { row in
            row.channelID.map { [.uuid(TimeOrderedID.make()), .uuid(row.id), .uuid($0)] }
        }, for: db.sql)
    }

    /// One statement per batch: `parent_id = CASE code WHEN … THEN … END WHERE code IN (…)`.
    private func setParents(_ links: [(code: String, parent: UUID)]) async throws {
        var cases = SQLQueryString("CASE code")
        for link in links { cases.appendInterpolation(raw: " WHEN "); cases.appendInterpolation(bind: link.code)
                            cases.appendInterpolation(raw: " THEN "); cases.appendInterpolation(bind: link.parent) }
        cases.appendInterpolation(raw: " END")
        try await db.sql.update(Partner.schema).set(SQLIdentifier("parent_id"), to: cases)
            .where("code", .in, SQLBind.group(links.map(\.code))).run()
    }

    /// Parents may come later in the file than their children, so they are linked at the end.
    /// When nothing will be written, a parent named earlier in the file still counts as found,
    /// so that the report lists every real problem at once. A link that closes a loop in the
    /// holding tree is refused as the API refuses it, and every change of parent is audited.
    private func linkParents() async throws {
        let writing = self.writing
        var changed: [ParentChange] = []
        for links in parentLinks.chunks(of: Self.batchSize) {
            let parents = try await ExistingPartner.load(codes: Array(Set(links.map(\.parent))), on: db)
            let children = writing ? try await currentParents(codes: links.map(\.code)) : [:]
            // Nothing is written once the file has errors: a parent earlier in the file counts.
            let inFile = writing ? [:] : try await firstLines(of: links.filter { parents[$0.parent] == nil }
                .map { SeenKeys.Key(space: .code, text: $0.parent) })
            var resolved: [(code: String, parent: UUID)] = []
            for link in links {
                if let parent = parents[link.parent], scope.allows(parent.access_group_id) {
                    guard let child = children[link.code], child.parent != parent.id else { continue }
                    resolved.append((link.code, parent.id))
                    changed.append(ParentChange(line: link.line, child: child.id, old: child.parent, new: parent.id))
                } else if inFile[SeenKeys.Key(space: .code, text: link.parent)] == nil {
                    report.fail(link.line, "parent_code", "no partner with this code")
                }
            }
            if writing && !resolved.isEmpty { try await setParents(resolved) }
        }
        guard writing, !changed.isEmpty else { return }
        let looped = try await partnersInLoops(changed.map(\.child))
        var kept: [ParentChange] = []
        for change in changed {
            if looped.contains(change.child) {
                report.fail(change.line, "parent_code", "would make the holding tree a loop")
                // A partial import leaves the partner under the parent it had.
                try await db.sql.update(Partner.schema).set("parent_id", to: SQLBind(change.old)).where("id", .equal, SQLBind(change.child)).run()
            } else {
                kept.append(change)
            }
        }
        guard self.writing else { return }
        for slice in kept.chunks(of: Self.batchSize) {
            try await BulkAudit.insert(slice.map { change in
                BulkAudit.Entry(action: .update, objectType: Partner.objectType, objectID: change.child, changes: [
                    FieldChange(field: "parentId", old: change.old.map { .string($0.text) } ?? .null, new: .string(change.new.text))])
            }, by: author, on: db)
        }
    }

    private struct ParentChange {
        var line: Int
        var child: UUID
        var old: UUID?
        var new: UUID
    }

    private func currentParents(codes: [String]) async throws -> [String: (id: UUID, parent: UUID?)] {
        struct Row: Decodable { var id: UUID; var code: String; var parent_id: UUID? }
        let rows = try await db.sql.select().columns("id", "code", "parent_id").from(Partner.schema)
            .where("code", .in, SQLBind.group(codes)).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.code, (id: $0.id, parent: $0.parent_id)) }, uniquingKeysWith: { first, _ in first })
    }

    /// Of the given partners, those that are now their own ancestor: each walks up its chain
    /// of parents (as deep as a holding can sensibly be) looking for itself.
    private func partnersInLoops(_ ids: [UUID]) async throws -> Set<UUID> {
        struct Row: Decodable { var start: UUID }
        var looped = Set<UUID>()
        for slice in ids.chunks(of: Self.batchSize) {
            let rows = try await db.sql.raw("""
                WITH RECURSIVE up(start, id, depth) AS (
                  SELECT id, parent_id, 1 FROM \(ident: Partner.schema) WHERE id IN \(SQLBind.group(Array(slice))) AND parent_id IS NOT NULL
                  UNION ALL
                  SELECT up.start, p.parent_id, up.depth + 1 FROM up JOIN \(ident: Partner.schema) p ON p.id = up.id
                   WHERE up.id <> up.start AND p.parent_id IS NOT NULL AND up.depth < 1000)
                SELECT DISTINCT start FROM up WHERE id = start
                """).all(decoding: Row.self)
            looped.formUnion(rows.map(\.start))
        }
        return looped
    }
}
