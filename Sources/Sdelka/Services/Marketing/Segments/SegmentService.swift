import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Segments are shared by everyone who may use them; their members are partners, so every
/// read of members goes through the user's access groups, and a manager adds or removes only
/// partners they may see.
struct SegmentService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    let today: CalendarDate
    /// The company's zone, where `today` and every day of a rule begin.
    let timeZone: TimeZone

    /// By name; `q` searches name and comment, `kind` keeps one kind.
    func list(q: String?, kind: SegmentKind?, includeDeleted: Bool) -> QueryBuilder<Segment> {
        let query = Segment.query(on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let kind { query.filter(\.$kind == kind) }
        return query.sort(\.$name).sort(\.$id)
    }

    func dto(_ segment: Segment) async throws -> SegmentDTO {
        try SegmentDTO(segment, memberCount: try await memberCount(segment))
    }

    func dtos(_ segments: [Segment]) async throws -> [SegmentDTO] {
        var result: [SegmentDTO] = []
        for segment in segments { result.append(try await dto(segment)) }
        return result
    }

    /// The members the user may see, in one COUNT.
    func memberCount(_ segment: Segment) async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await members(of: segment).column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .first(decoding: Row.self)?.n ?? 0
    }

    /// `SELECT … FROM partners p` restricted to the segment's members the user may see.
    func members(of segment: Segment) throws -> SQLSelectBuilder {
        let query = db.sql.select().from(SQLAlias(SQLIdentifier("partners"), as: SQLIdentifier("p")))
            .where(SQLColumn("deletion_mark", table: "p"), .equal, SQLLiteral.boolean(false))
            .where(try SegmentMembership.predicate(segment, column: SQLColumn("id", table: "p"), today: today, timeZone: timeZone))
        return scope.apply(to: query, column: SQLColumn("access_group_id", table: "p"))
    }

    func memberPage(_ segment: Segment, page: PageRequest) async throws -> PageDTO<SegmentMemberDTO> {
        struct Row: Decodable { var id: UUID; var code: String?; var name: String }
        let total = try await memberCount(segment)
        let rows = try await members(of: segment).column(SQLColumn("id", table: "p")).column(SQLColumn("code", table: "p"))
            .column(SQLColumn("name", table: "p")).orderBy(SQLColumn("name", table: "p")).orderBy(SQLColumn("id", table: "p"))
            .limit(page.per).offset(page.offset).all(decoding: Row.self)
        return PageDTO(items: rows.map { SegmentMemberDTO(partnerId: $0.id, code: $0.code, name: $0.name) },
                       total: total, page: page.page, per: page.per)
    }

    /// Segments are shared: one holding partners outside the user's access groups, or a
    /// stop-list (which blocks sales for everyone), is changed only by those who see every
    /// partner (DOMAIN.md §9); 403 otherwise.
    func requireMayChange(_ segment: Segment) async throws {
        guard case .groups(let ids) = scope else { return }
        if segment.stopList { throw Self.stopListForbidden }
        let group = SQLColumn("access_group_id", table: "p")
        var outside: any SQLExpression = SQLBinaryExpression(group, .is, SQLLiteral.null)
        if !ids.isEmpty {
            outside = SQLBinaryExpression(outside, .or, SQLBinaryExpression(group, .notIn, SQLBind.group(Array(ids))))
        }
        struct Row: Decodable { var n: Int }
        let hidden = try await db.sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLIdentifier("partners"), as: SQLIdentifier("p")))
            .where(try SegmentMembership.predicate(segment, column: SQLColumn("id", table: "p"), today: today, timeZone: timeZone))
            .where(SQLGroupExpression(outside))
            .first(decoding: Row.self)?.n ?? 0
        if hidden > 0 {
            throw NotAllowed(
                "The segment holds partners outside your access groups; only those who see every partner may change it.")
        }
    }

    static let stopListForbidden = NotAllowed(
        "A stop-list blocks sales for everyone; only those who see every partner may change it.")

    func create(_ input: SegmentInput) async throws -> Segment {
        if input.stopList == true, scope != .all { throw Self.stopListForbidden }
        try input.validate(current: nil).check()
        let segment = Segment()
        segment.stopList = false
        apply(input, to: segment)
        try await writer.create(segment)
        if segment.kind == .periodic { try await refresh(segment) }
        return segment
    }

    func update(_ segment: Segment, with input: SegmentInput) async throws {
        if input.stopList == true, scope != .all { throw Self.stopListForbidden }
        try await requireMayChange(segment)
        try input.validate(current: segment).check()
        let before = try SegmentDTO(segment, memberCount: nil)
        let wasPeriodic = segment.kind == .periodic, oldRule = segment.rule
        apply(input, to: segment)
        try await writer.update(segment, before: before, expectedVersion: input.version) { tx in
            // A manual list keeps no members of another kind's past; a dynamic one stores none.
            if segment.kind == .dynamic { try await tx.sql.delete(from: "segment_members").where("segment_id", .equal, SQLBind(segment.requireID())).run() }
        }
        if segment.kind == .periodic, !wasPeriodic || oldRule != segment.rule { try await refresh(segment) }
    }

    var writer: RecordWriter<Segment> {
        RecordWriter(db: db, author: author) { try SegmentDTO($0, memberCount: nil) }
    }

    private func apply(_ input: SegmentInput, to s: Segment) {
        if let name = input.name.cleaned { s.name = name }
        if let kind = input.kind { s.kind = kind }
        if s.kind == .manual { s.rule = nil } else if let rule = input.rule { s.rule = rule }
        if let stopList = input.stopList { s.stopList = stopList }
        if let comment = input.comment { s.comment = comment.cleaned }
        s.searchText = SearchText.normalize(s.name, s.comment)
    }

    /// Stores a periodic segment's members as its rule gives them today, set-based, in one
    /// transaction with the audit entry; the members' count before and after is what it records.
    @discardableResult
    func refresh(_ segment: Segment, now: Date = Date()) async throws -> Int {
        try await requireMayChange(segment)
        guard segment.kind == .periodic else { throw FieldErrors("kind", "only a periodic segment is refreshed") }
        let id = try segment.requireID()
        let condition = SegmentRuleSQL.condition(segment.rule ?? SegmentRule(), today: today, timeZone: timeZone)
        return try await db.writeTransaction { tx in
            let sql = tx.sql
            let before = try await Self.storedCount(id, on: sql)
            try await sql.delete(from: "segment_members").where("segment_id", .equal, SQLBind(id)).run()
            var insert = SQLQueryString("INSERT INTO segment_members (segment_id, partner_id) SELECT \(bind: id), sp.id FROM partners sp WHERE ")
            insert.appendInterpolation(condition)
            try await sql.raw(insert).run()
            let after = try await Self.storedCount(id, on: sql)
            segment.refreshedAt = now
            try await segment.update(on: tx)
            try await Audit.record(.update, objectType: Segment.objectType, objectID: id.uuidString,
                                   before: ["members": before], after: ["members": after], by: author, on: tx)
            return after
        }
    }

    /// The names of the live stop-list segments a partner is in (none while segments are off).
    static func stopLists(containing partnerID: UUID, now: Date, timeZone: TimeZone, on db: any Database) async throws -> [String] {
        let today = CalendarDate(now, in: timeZone)
        guard try await SettingsStore.features(on: db).isEnabled(.segments) else { return [] }
        var names: [String] = []
        for segment in try await Segment.query(on: db).filter(\.$stopList == true).filter(\.$deletionMark == false).sort(\.$name).all() {
            let member = try await db.sql.select().column(SQLLiteral.numeric("1")).from(SQLAlias(SQLIdentifier("partners"), as: SQLIdentifier("p")))
                .where(SQLColumn("id", table: "p"), .equal, SQLBind(partnerID))
                .where(try SegmentMembership.predicate(segment, column: SQLColumn("id", table: "p"), today: today, timeZone: timeZone)).first()
            if member != nil { names.append(segment.name) }
        }
        return names
    }

    /// The live manual and periodic segments that list each of some partners, by name.
    static func storedSegments(of partnerIDs: [UUID], on db: any Database) async throws -> [UUID: [UUID]] {
        guard !partnerIDs.isEmpty else { return [:] }
        var result: [UUID: [UUID]] = [:]
        for chunk in partnerIDs.chunks(of: 1_000) {
            let rows = try await db.sql.select().column(SQLColumn("partner_id", table: "m")).column(SQLColumn("segment_id", table: "m"))
                .from(SQLAlias(SQLIdentifier("segment_members"), as: SQLIdentifier("m")))
                .join(SQLAlias(SQLIdentifier("segments"), as: SQLIdentifier("s")), on: SQLColumn("id", table: "s"), .equal, SQLColumn("segment_id", table: "m"))
                .where(SQLColumn("deletion_mark", table: "s"), .equal, SQLLiteral.boolean(false))
                .where(SQLColumn("kind", table: "s"), .notEqual, SQLBind(SegmentKind.dynamic.rawValue))
                .where(SQLColumn("partner_id", table: "m"), .in, SQLBind.group(Array(chunk)))
                .orderBy(SQLColumn("name", table: "s")).all()
            for row in rows { result[try row.decode(column: "partner_id", as: UUID.self), default: []].append(try row.decode(column: "segment_id", as: UUID.self)) }
        }
        return result
    }

    static func storedCount(_ id: UUID, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var n: Int }
        return try await sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("segment_members").where("segment_id", .equal, SQLBind(id)).first(decoding: Row.self)?.n ?? 0
    }

    /// Adds partners to a manual segment; each must be a live partner the user may see.
    func add(_ partnerIDs: [UUID], to segment: Segment) async throws {
        try await requireMayChange(segment)
        guard segment.kind == .manual else { throw FieldErrors("partnerIds", "only a manual segment takes members by hand") }
        let unique = Array(Set(partnerIDs))
        let visible = Set(try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ unique)
            .filter(\.$deletionMark == false).all().map { try $0.requireID() })
        var errors = FieldErrors()
        for (index, id) in partnerIDs.enumerated() where !visible.contains(id) { errors.add("partnerIds.\(index)", "names a partner that does not exist") }
        try errors.check()
        let id = try segment.requireID()
        try await db.writeTransaction { tx in
            let existing = Set(try await tx.sql.select().column("partner_id").from("segment_members")
                .where("segment_id", .equal, SQLBind(id)).where("partner_id", .in, SQLBind.group(unique)).all()
                .map { try $0.decode(column: "partner_id", as: UUID.self) })
            let added = unique.filter { !existing.contains($0) }.sorted { $0.uuidString < $1.uuidString }
            guard !added.isEmpty else { return }
            var insert = tx.sql.insert(into: "segment_members").columns("segment_id", "partner_id")
            for partner in added { insert = insert.values(SQLBind(id), SQLBind(partner)) }
            try await insert.run()
            try await Audit.record(.update, objectType: Segment.objectType, objectID: id.uuidString,
                                   before: nil as [String: [UUID]]?, after: ["added": added], by: author, on: tx)
        }
    }

    func remove(_ partnerID: UUID, from segment: Segment) async throws {
        try await requireMayChange(segment)
        guard segment.kind == .manual else { throw FieldErrors("partnerId", "only a manual segment takes members by hand") }
        guard try await PartnerQueries.scoped(scope, on: db).filter(\.$id == partnerID).count() > 0 else { throw NotFound("partner") }
        let id = try segment.requireID()
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: "segment_members").where("segment_id", .equal, SQLBind(id))
                .where("partner_id", .equal, SQLBind(partnerID)).run()
            try await Audit.record(.update, objectType: Segment.objectType, objectID: id.uuidString,
                                   before: ["removed": [partnerID]], after: nil as [String: [UUID]]?, by: author, on: tx)
        }
    }
}

extension SegmentService: RecordService {
    static let noun = "segment"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope, today: context.today, timeZone: context.zone)
    }

    /// Segments are seen by everyone; changing one that holds hidden partners is refused.
    func visible(_ id: UUID) async throws -> Segment? {
        try await Segment.find(id, on: db)
    }

    func update(_ segment: Segment, with input: SegmentInput, clearing: Set<String>) async throws {
        try await update(segment, with: input)
    }

    func setDeletionMark(_ segment: Segment, to mark: Bool, expectedVersion: Int?) async throws {
        try await requireMayChange(segment)
        try await writer.setDeletionMark(segment, to: mark, expectedVersion: expectedVersion)
    }
}
