import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Names an import file may use for references, resolved once per import.
struct Lookups: Sendable {
    var users: [String: UUID]
    var regions: [String: UUID]
    var groups: [String: UUID]
    var channels: [String: UUID]

    static func load(on db: any Database) async throws -> Lookups {
        struct Row: Decodable { var id: UUID; var name: String }
        func names(_ table: String, _ column: String = "name", normalize: (String) -> String) async throws -> [String: UUID] {
            let rows = try await db.sql.select().column("id").column(SQLAlias(SQLIdentifier(column), as: SQLIdentifier("name")))
                .from(table).where("deletion_mark", .equal, SQLLiteral.boolean(false)).all(decoding: Row.self)
            return Dictionary(rows.map { (normalize($0.name), $0.id) }, uniquingKeysWith: { first, _ in first })
        }
        return Lookups(users: try await names("users", "login_key", normalize: { $0 }),
                       regions: try await names("business_regions", normalize: { SearchText.normalize($0) }),
                       groups: try await names("access_groups", normalize: { SearchText.normalize($0) }),
                       channels: try await names("channels", normalize: { SearchText.normalize($0) }))
    }
}

/// A partner as the imports that refer to it by code resolve it: its id and access group.
struct PartnerRef: Sendable {
    var id: UUID
    var group: UUID?

    /// The partners with these codes, marked for deletion or not.
    static func load(codes: [String], on db: any Database) async throws -> [String: PartnerRef] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await StreamRow.collect(db.sql, """
            SELECT id, code, access_group_id FROM partners WHERE code IN \(SQLBind.group(codes))
            """) { row -> (String, PartnerRef)? in
            guard let code = row.string("code"), let id = row.uuid("id") else { return nil }
            return (code, PartnerRef(id: id, group: row.uuid("access_group_id")))
        }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }
}

/// Every partner with a code (those marked for deletion only with `includingMarked`), for
/// imports that resolve many rows: about 40 bytes a partner (`CodeIndex`, the ids, and the
/// access group as a number into the few groups there are), where a `[String: PartnerRef]`
/// took 87.
struct PartnerRefs: Sendable {
    private var codes = CodeIndex()
    private var ids: [UUID] = []
    private var groupNumbers: [UInt16] = []
    private var groups: [UUID?] = []
    private var numberOfGroup: [UUID?: UInt16] = [:]

    subscript(code: String) -> PartnerRef? {
        guard let index = codes.index(of: code) else { return nil }
        return PartnerRef(id: ids[index], group: groups[Int(groupNumbers[index])])
    }

    /// The most partners read at once, about 20 MB: beyond, memory would grow with the
    /// partners stored, and imports read each batch's partners instead.
    static let readAtOnce = 500_000

    /// Nil when more than `limit` partners have a code: the caller then reads each batch's.
    static func load(includingMarked: Bool, limit: Int, on db: any Database) async throws -> PartnerRefs? {
        let count = try await db.sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(Partner.schema)
            .where("code", .isNot, SQLLiteral.null).first()?.decode(column: "n", as: Int.self) ?? 0
        guard count <= limit else { return nil }
        return try await load(includingMarked: includingMarked, on: db)
    }

    static func load(includingMarked: Bool, on db: any Database) async throws -> PartnerRefs {
        let query: SQLQueryString = includingMarked
            ? "SELECT id, code, access_group_id FROM partners WHERE code IS NOT NULL"
            : "SELECT id, code, access_group_id FROM partners WHERE NOT deletion_mark AND code IS NOT NULL"
        let loading = Loading()
        try await StreamRow.each(db.sql, query) { row in
            guard let code = row.string("code"), let id = row.uuid("id") else { return }
            loading.refs.add(code, PartnerRef(id: id, group: row.uuid("access_group_id")))
        }
        return loading.refs
    }

    private mutating func add(_ code: String, _ ref: PartnerRef) {
        guard codes.insert(code).inserted else { return }
        ids.append(ref.id)
        if let number = numberOfGroup[ref.group] {
            groupNumbers.append(number)
        } else {
            numberOfGroup[ref.group] = UInt16(groups.count)
            groupNumbers.append(UInt16(groups.count))
            groups.append(ref.group)
        }
    }

    /// Filled one row at a time by the driver's thread, read once the query is over.
    private final class Loading: @unchecked Sendable { var refs = PartnerRefs() }
}

/// A partner already in the database, as an import compares it.
struct ExistingPartner {
    var id: UUID
    var code: String
    var name: String
    var full_name: String
    var kind: String
    var is_client: Bool
    var is_supplier: Bool
    var is_competitor: Bool
    var main_manager_id: UUID?
    var business_region_id: UUID?
    var access_group_id: UUID?

    var fields: [String: JSONValue] {
        Self.fields(code, name, full_name, kind, is_client, is_supplier, is_competitor, main_manager_id, business_region_id, access_group_id)
    }

    /// The audited fields under their API names.
    static func fields(_ code: String, _ name: String, _ fullName: String, _ kind: String, _ isClient: Bool, _ isSupplier: Bool,
                       _ isCompetitor: Bool, _ manager: UUID?, _ region: UUID?, _ group: UUID?) -> [String: JSONValue] {
        func id(_ value: UUID?) -> JSONValue { value.map { .string($0.text) } ?? .null }
        return ["code": .string(code), "name": .string(name), "fullName": .string(fullName), "kind": .string(kind),
                "isClient": .bool(isClient), "isSupplier": .bool(isSupplier), "isCompetitor": .bool(isCompetitor),
                "mainManagerId": id(manager), "businessRegionId": id(region), "accessGroupId": id(group)]
    }

    static func load(codes: [String], on db: any Database) async throws -> [String: ExistingPartner] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await db.sql.select()
            .columns("id", "code", "name", "full_name", "kind", "is_client", "is_supplier", "is_competitor",
                     "main_manager_id", "business_region_id", "access_group_id")
            .from(Partner.schema).where("code", .in, SQLBind.group(codes))
            .all()
        // Column by column: the keyed decoder cost more than the query for every imported row.
        var partners: [String: ExistingPartner] = [:]
        partners.reserveCapacity(rows.count)
        for row in rows {
            let partner = ExistingPartner(
                id: try row.decode(column: "id", as: UUID.self), code: try row.decode(column: "code", as: String.self),
                name: try row.decode(column: "name", as: String.self), full_name: try row.decode(column: "full_name", as: String.self),
                kind: try row.decode(column: "kind", as: String.self), is_client: try row.decode(column: "is_client", as: Bool.self),
                is_supplier: try row.decode(column: "is_supplier", as: Bool.self),
                is_competitor: try row.decode(column: "is_competitor", as: Bool.self),
                main_manager_id: try row.decode(column: "main_manager_id", as: UUID?.self),
                business_region_id: try row.decode(column: "business_region_id", as: UUID?.self),
                access_group_id: try row.decode(column: "access_group_id", as: UUID?.self))
            if partners[partner.code] == nil { partners[partner.code] = partner }
        }
        return partners
    }
}

/// Audit entries for many objects in one multi-row insert.
enum BulkAudit {
    struct Entry {
        var action: AuditEntry.Action
        var objectType: String
        var objectID: UUID
        /// The changes as the audit log stores them (`FieldChange.json`).
        var changesJSON: String

        init(action: AuditEntry.Action, objectType: String, objectID: UUID, changes: [FieldChange]) {
            self.init(action: action, objectType: objectType, objectID: objectID, changesJSON: FieldChange.json(changes))
        }

        /// For the hottest imports, which write the same JSON by hand.
        init(action: AuditEntry.Action, objectType: String, objectID: UUID, changesJSON: String) {
            self.action = action
            self.objectType = objectType
            self.objectID = objectID
            self.changesJSON = changesJSON
        }
    }

    static func insert(_ entries: [Entry], by author: ChangeAuthor, on db: any Database) async throws {
        guard let statement = statement(entries, by: author, for: db.sql) else { return }
        try await db.sql.raw(statement).run()
    }

    static func statement(_ entries: [Entry], by author: ChangeAuthor, for db: any SQLDatabase) -> SQLQueryString? {
        var rows = Rows()
        for entry in entries { rows.add(entry.action, entry.objectType, entry.objectID, changesJSON: entry.changesJSON) }
        return rows.statement(by: author, for: db)
    }

    /// Entries written straight into the JSON rows of the insert, for imports that audit
    /// hundreds of thousands of objects.
    struct Rows {
        private var out = JSONWriter(capacity: 1 << 16)
        private var ids = TimeOrderedID.Source()
        private(set) var count = 0

        mutating func add(_ action: AuditEntry.Action, _ objectType: String, _ objectID: UUID, changesJSON: String) {
            start(action, objectType, objectID)
            // As a string cell, so the text stored is the text written (jsonb would reorder keys).
            out.string(changesJSON)
            out.raw(0x5D)
        }

        /// The changes already written (`FieldChange.json`'s form) into another writer.
        mutating func add(_ action: AuditEntry.Action, _ objectType: String, _ objectID: UUID, changes: JSONWriter) {
            start(action, objectType, objectID)
            out.string(of: changes)
            out.raw(0x5D)
        }

        private mutating func start(_ action: AuditEntry.Action, _ objectType: String, _ objectID: UUID) {
            out.raw(count == 0 ? "[[" : ",[")
            out.uuid(ids.make())
            out.raw(0x2C)
            out.string(action.rawValue)
            out.raw(0x2C)
            out.string(objectType)
            out.raw(0x2C)
            out.uuid(objectID)
            out.raw(0x2C)
            count += 1
        }

        func statement(by author: ChangeAuthor, for db: any SQLDatabase) -> SQLQueryString? {
            guard count > 0 else { return nil }
            var insert = JSONRowsInsert(table: AuditEntry.schema, columns: [
                ("id", .uuid), ("action", .text), ("object_type", .text), ("object_id", .text), ("changes", .text),
            ])
            insert.constants = [("at", Date()), ("user_id", author.userID), ("user_login", author.login)]
            var json = out
            json.raw(0x5D)
            return insert.statement(json: json.text, for: db)
        }
    }
}
