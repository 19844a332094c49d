import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Partners: every query goes through `scoped`, so a user never sees, finds or changes a
/// partner outside their access groups.
enum PartnersController {
    static func register(on routes: any RoutesBuilder) {
        let partners = routes.grouped("partners")
        partners.get(use: index)
        partners.post(use: create)
        partners.get(":id", use: show)
        partners.patch(":id", use: update)
        partners.delete(":id", use: markDeleted)
        partners.post(":id", "restore", use: restore)
        partners.post("duplicates", use: duplicates)
        partners.post(":id", "merge", use: merge)
        partners.get(":id", "classification", use: classification)
    }

    struct Filter: Sendable {
        var q: String?
        var isClient: Bool?
        var isSupplier: Bool?
        var isCompetitor: Bool?
        var kind: Partner.Kind?
        var mainManagerID: UUID?
        var businessRegionID: UUID?
        var accessGroupID: UUID?
        var parentID: UUID?
        /// Members of a segment: stored ones, or a dynamic segment's rule evaluated now.
        var segment: Segment?
        var today = CalendarDate(year: 2000, month: 1, day: 1)!
        var timeZone = TimeZone(identifier: "UTC")!
        var includeDeleted = false
        var sort: Sort = .name

        /// Whether nothing but `q` (and the deletion mark) narrows the list.
        var searchesOnly: Bool {
            isClient == nil && isSupplier == nil && isCompetitor == nil && kind == nil && mainManagerID == nil
                && businessRegionID == nil && accessGroupID == nil && parentID == nil && segment == nil
        }
    }

    /// `?sort=name|-name|code|-code|registeredOn|-registeredOn|createdAt|-createdAt`.
    enum Sort: String, CaseIterable, Sendable {
        case name, nameDesc = "-name", code, codeDesc = "-code", registeredOn, registeredOnDesc = "-registeredOn",
             createdAt, createdAtDesc = "-createdAt"

        func apply(_ query: QueryBuilder<Partner>) -> QueryBuilder<Partner> {
            switch self {
            case .name: query.sort(\.$name)
            case .nameDesc: query.sort(\.$name, .descending)
            case .code: query.sort(\.$code)
            case .codeDesc: query.sort(\.$code, .descending)
            case .registeredOn: query.sort(\.$registeredOn)
            case .registeredOnDesc: query.sort(\.$registeredOn, .descending)
            case .createdAt: query.sort(\.$createdAt)
            case .createdAtDesc: query.sort(\.$createdAt, .descending)
            }
            return query.sort(\.$id)
        }
    }

    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<Partner> {
        scope.apply(to: Partner.query(on: db), groupField: \.$accessGroupID)
    }

    /// Whether a partner exists, is not marked for deletion and is visible under `scope`:
    /// what anything attached to a partner must check first.
    static func isLive(_ id: UUID, scope: AccessScope, on db: any Database) async throws -> Bool {
        try await scoped(scope, on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() > 0
    }

    static func query(on db: any Database, scope: AccessScope, _ filter: Filter, walkingNameIndex: Bool = false) -> QueryBuilder<Partner> {
        let query = scoped(scope, on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let value = filter.isClient { query.filter(\.$isClient == value) }
        if let value = filter.isSupplier { query.filter(\.$isSupplier == value) }
        if let value = filter.isCompetitor { query.filter(\.$isCompetitor == value) }
        if let value = filter.kind { query.filter(\.$kind == value) }
        if let value = filter.mainManagerID { query.filter(\.$mainManagerID == value) }
        if let value = filter.businessRegionID { query.filter(\.$businessRegionID == value) }
        if let value = filter.accessGroupID { query.filter(\.$accessGroupID == value) }
        if let value = filter.parentID { query.filter(\.$parentID == value) }
        if let segment = filter.segment,
           let members = try? SegmentMembership.predicate(segment, column: SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(Partner.schema)), today: filter.today, timeZone: filter.timeZone) {
            query.filter(.custom(members))
        }
        if let q = filter.q { search(query, q, walkingNameIndex: walkingNameIndex) }
        return filter.sort.apply(query)
    }

    /// One page of a list and the total. A broad search (a common word matching a large share
    /// of all partners) reads its page by walking the name index and testing each partner
    /// against the matches, which stops after a page; a narrow one looks its few matches up and
    /// sorts them. The walk is chosen when it is expected to visit fewer index entries than
    /// there are matches to look up twice: (offset + per) · partners / matches < 2 · matches.
    static func page(_ request: PageRequest, _ filter: Filter, scope: AccessScope, on db: any Database) async throws -> (total: Int, rows: [Partner]) {
        let search = filter.searchesOnly ? filter.q.map { PartnerSearch($0, dialect: db.sql.dialect.name) } : nil
        let counted = try await search?.documentCount(includeDeleted: filter.includeDeleted, scope: scope, on: db.sql)
        let total = if let counted { counted } else { try await query(on: db, scope: scope, filter).count() }
        var walk = false
        if filter.q != nil, filter.sort == .name || filter.sort == .nameDesc, total > 0 {
            let partners = try await approximatePartnerCount(on: db.sql)
            walk = partners > 0 && Double(request.offset + request.per) * Double(partners) < 2 * Double(total) * Double(total)
        }
        let rows = try await query(on: db, scope: scope, filter, walkingNameIndex: walk)
            .range(request.offset ..< request.offset + request.per).all()
        return (total, rows)
    }

    /// How many partners there are, from what the database already keeps: SQLite's highest
    /// rowid, PostgreSQL's planner estimate (0 before the table was first analysed).
    static func approximatePartnerCount(on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var count: Double? }
        let query: SQLQueryString = sql.dialect.name == "sqlite"
            ? "SELECT max(rowid) AS count FROM \(ident: Partner.schema)"
            : "SELECT reltuples::float8 AS count FROM pg_class WHERE oid = to_regclass(\(bind: Partner.schema))"
        return Int(max(0, try await sql.raw(query).first(decoding: Row.self)?.count ?? 0))
    }

    static func search(_ query: QueryBuilder<Partner>, _ q: String, walkingNameIndex: Bool = false) {
        let dialect = (query.database as? any SQLDatabase)?.dialect.name ?? "sqlite"
        query.filter(.custom(PartnerSearch(q, dialect: dialect).predicate(walkingNameIndex: walkingNameIndex)))
    }

    static func filter(from req: Request) async throws -> Filter {
        var params = QueryParameters(req)
        var filter = Filter(q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        filter.isClient = params.bool("isClient")
        filter.isSupplier = params.bool("isSupplier")
        filter.isCompetitor = params.bool("isCompetitor")
        filter.kind = params.oneOf("kind", Partner.Kind.self)
        filter.mainManagerID = params.uuid("mainManagerId")
        filter.businessRegionID = params.uuid("businessRegionId")
        filter.accessGroupID = params.uuid("accessGroupId")
        filter.parentID = params.uuid("parentId")
        filter.sort = params.oneOf("sort", Sort.self) ?? .name
        let segmentID = params.uuid("segmentId")
        try params.check()
        if let segmentID {
            guard let segment = try await Segment.find(segmentID, on: req.db) else { throw APIError.validation("segmentId", "names a segment that does not exist") }
            filter.segment = segment
            filter.timeZone = req.application.sdelka.timeZone
            filter.today = CalendarDate(Date(), in: filter.timeZone)
        }
        return filter
    }

    static func dtos(_ partners: [Partner], on db: any Database) async throws -> [PartnerDTO] {
        let ids = try partners.map { try $0.requireID() }
        let byOwner = try await ContactStore.lists(.partner, ownerIDs: ids, on: db)
        let sources = try await InterestSources.registration(of: ids, on: db)
        let segments = try await SegmentService.storedSegments(of: ids, on: db)
        return try partners.map {
            let id = try $0.requireID()
            return try PartnerDTO($0, contacts: byOwner[id, default: []], source: sources[id], segmentIds: segments[id, default: []])
        }
    }

    static func find(_ req: Request) async throws -> (Partner, AccessScope) {
        let scope = try await req.accessScope()
        guard let partner = try await scoped(scope, on: req.db).filter(\.$id == req.idParameter()).first() else {
            throw APIError.notFound("partner")
        }
        return (partner, scope)
    }

    static func service(_ req: Request, scope: AccessScope) throws -> PartnerService {
        PartnerService(db: req.db, author: ChangeAuthor(try req.user), scope: scope,
                       today: CalendarDate(Date(), in: req.application.sdelka.timeZone))
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<PartnerDTO> {
        let scope = try await req.accessScope()
        let page = try PageRequest(req)
        let (total, partners) = try await Self.page(page, try await filter(from: req), scope: scope, on: req.db)
        return PageDTO(items: try await dtos(partners, on: req.db), total: total, page: page.page, per: page.per)
    }

    @Sendable static func show(req: Request) async throws -> PartnerDTO {
        let (partner, scope) = try await find(req)
        return try await service(req, scope: scope).dto(partner)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let input = try req.content.decode(PartnerInput.self)
        let service = try service(req, scope: try await req.accessScope())
        let partner = try await service.create(input)
        return try await service.dto(partner).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> PartnerDTO {
        try req.require(.editRecords)
        let (partner, scope) = try await find(req)
        let input = try req.content.decode(PartnerInput.self)
        let service = try service(req, scope: scope)
        try await service.update(partner, with: input, clearing: ExplicitNulls.keys(of: req))
        return try await service.dto(partner)
    }

    @Sendable static func markDeleted(req: Request) async throws -> PartnerDTO {
        try req.require(.editRecords)
        let (partner, scope) = try await find(req)
        let service = try service(req, scope: scope)
        let dto = try await service.dto(partner)
        try await service.writer(contacts: dto.contacts, source: dto.source).markDeleted(partner, expectedVersion: req.query[Int.self, at: "version"])
        return try await service.dto(partner)
    }

    @Sendable static func restore(req: Request) async throws -> PartnerDTO {
        try req.require(.editRecords)
        let (partner, scope) = try await find(req)
        let service = try service(req, scope: scope)
        let dto = try await service.dto(partner)
        try await service.writer(contacts: dto.contacts, source: dto.source).restore(partner)
        return try await service.dto(partner)
    }

    @Sendable static func duplicates(req: Request) async throws -> PartnerDuplicates.Answer {
        let draft = try req.content.decode(PartnerDuplicates.Draft.self)
        let candidates = try await PartnerDuplicates.find(draft, scope: try await req.accessScope(), on: req.db)
        return PartnerDuplicates.Answer(candidates: candidates)
    }

    /// `{"intoId"}`: both partners must be visible to the user.
    /// The partner's ABC/XYZ history and relationship stage, through the access rule.
    @Sendable static func classification(req: Request) async throws -> PartnerClassificationDTO {
        let (partner, _) = try await find(req)
        return try await PartnerClassificationDTO.load(partner: try partner.requireID(), on: req.db)
    }

    @Sendable static func merge(req: Request) async throws -> PartnerMerge.Result {
        struct Body: Content { var intoId: UUID }
        let user = try req.require(.editRecords)
        let (merged, scope) = try await find(req)
        let body = try req.content.decode(Body.self)
        guard let survivor = try await scoped(scope, on: req.db).filter(\.$id == body.intoId).first() else {
            throw APIError.validation("intoId", "names a partner that does not exist")
        }
        let moved = try await PartnerMerge.merge(merged, into: survivor, by: ChangeAuthor(user), on: req.db)
        return PartnerMerge.Result(survivor: try await service(req, scope: scope).dto(survivor), moved: moved)
    }
}
