import Fluent
import SdelkaCore
import SQLKit
import Vapor

struct PartnerLinkDTO: Content, Equatable {
    var id: UUID
    var partnerId: UUID
    var linkedPartnerId: UUID
    var kindId: UUID
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init(_ link: PartnerLink) throws {
        id = try link.requireID()
        partnerId = link.partnerID
        linkedPartnerId = link.linkedPartnerID
        kindId = link.kindID
        comment = link.comment
        deletionMark = link.deletionMark
        version = link.version
    }
}

struct PartnerLinkInput: Content {
    var partnerId: UUID?
    var linkedPartnerId: UUID?
    var kindId: UUID?
    var comment: String?
    var version: Int?
}

/// `/api/v1/partner-links`: a link is visible only to a user who may see both partners.
enum PartnerLinksController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("partner-links")
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<PartnerLink> {
        let query = PartnerLink.query(on: db)
        for column in ["partner_id", "linked_partner_id"] {
            if let rule = scope.partnerVisible(SQLColumn(column, table: PartnerLink.schema)) { query.filter(.custom(rule)) }
        }
        return query
    }

    /// `?partnerId=` lists the links of a partner in both directions.
    static func query(_ req: Request, scope: AccessScope) throws -> QueryBuilder<PartnerLink> {
        var params = QueryParameters(req)
        let partner = params.uuid("partnerId")
        let kind = params.uuid("kindId")
        try params.check()
        let query = scoped(scope, on: req.db)
        if !req.flag("includeDeleted") { query.filter(\.$deletionMark == false) }
        if let partner { query.group(.or) { $0.filter(\.$partnerID == partner).filter(\.$linkedPartnerID == partner) } }
        if let kind { query.filter(\.$kindID == kind) }
        return query.sort(\.$createdAt).sort(\.$id)
    }

    static func find(_ req: Request) async throws -> (PartnerLink, AccessScope) {
        let scope = try await req.accessScope()
        guard let link = try await scoped(scope, on: req.db).filter(\.$id == req.idParameter()).first() else {
            throw APIError.notFound("partner link")
        }
        return (link, scope)
    }

    static func writer(_ req: Request) throws -> RecordWriter<PartnerLink> {
        RecordWriter(db: req.db, author: ChangeAuthor(try req.user)) { try PartnerLinkDTO($0) }
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<PartnerLinkDTO> {
        try await PageRequest(req).fetch(try query(req, scope: try await req.accessScope())) { try PartnerLinkDTO($0) }
    }

    @Sendable static func show(req: Request) async throws -> PartnerLinkDTO {
        try PartnerLinkDTO(try await find(req).0)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let link = try await create(try req.content.decode(PartnerLinkInput.self), req: req)
        return try await PartnerLinkDTO(link).encodeResponse(status: .created, for: req)
    }

    static func create(_ input: PartnerLinkInput, req: Request) async throws -> PartnerLink {
        try req.require(.editRecords)
        let link = PartnerLink()
        try await apply(input, to: link, creating: true, req: req, scope: try await req.accessScope())
        try await writer(req).create(link)
        return link
    }

    @Sendable static func update(req: Request) async throws -> PartnerLinkDTO {
        try req.require(.editRecords)
        let (link, scope) = try await find(req)
        let input = try req.content.decode(PartnerLinkInput.self)
        let before = try PartnerLinkDTO(link)
        try await apply(input, to: link, creating: false, req: req, scope: scope)
        try await writer(req).update(link, before: before, expectedVersion: input.version)
        return try PartnerLinkDTO(link)
    }

    @Sendable static func markDeleted(req: Request) async throws -> PartnerLinkDTO {
        try req.require(.editRecords)
        let (link, _) = try await find(req)
        try await writer(req).markDeleted(link, expectedVersion: req.query[Int.self, at: "version"])
        return try PartnerLinkDTO(link)
    }

    @Sendable static func restore(req: Request) async throws -> PartnerLinkDTO {
        try req.require(.editRecords)
        let (link, _) = try await find(req)
        try await writer(req).restore(link)
        return try PartnerLinkDTO(link)
    }

    private static func apply(_ input: PartnerLinkInput, to link: PartnerLink, creating: Bool, req: Request, scope: AccessScope) async throws {
        var errors = FieldErrors()
        let partner = input.partnerId ?? (creating ? nil : link.partnerID)
        let linked = input.linkedPartnerId ?? (creating ? nil : link.linkedPartnerID)
        let kind = input.kindId ?? (creating ? nil : link.kindID)
        for (field, id) in [("partnerId", partner), ("linkedPartnerId", linked)] {
            guard let id else { errors.add(field, "is required"); continue }
            if !(try await PartnerQueries.isLive(id, scope: scope, on: req.db)) { errors.add(field, "names a partner that does not exist") }
        }
        if let partner, partner == linked { errors.add("linkedPartnerId", "must be another partner") }
        if let kind {
            if try await PartnerLinkKind.query(on: req.db).filter(\.$id == kind).filter(\.$deletionMark == false).count() == 0 {
                errors.add("kindId", "names a link kind that does not exist")
            }
        } else {
            errors.add("kindId", "is required")
        }
        if errors.isEmpty, let partner, let linked, let kind {
            let same = PartnerLink.query(on: req.db).filter(\.$deletionMark == false).filter(\.$kindID == kind)
                .filter(\.$partnerID == partner).filter(\.$linkedPartnerID == linked)
            if let id = link.id { same.filter(\.$id != id) }
            if try await same.count() > 0 { errors.add("linkedPartnerId", "is already linked to this partner by this kind") }
        }
        try errors.check()
        link.partnerID = partner!
        link.linkedPartnerID = linked!
        link.kindID = kind!
        if let comment = input.comment { link.comment = comment.cleaned }
    }
}
