import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Links between partners (DOMAIN.md §1): a link is visible only to a user who may see both
/// partners, and one kind links two partners once.
struct PartnerLinkService: RecordService {
    static let noun = "partner link"

    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope

    init(_ context: ServiceContext) {
        db = context.db
        author = context.author
        scope = context.scope
    }

    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<PartnerLink> {
        let query = PartnerLink.query(on: db)
        for column in ["partner_id", "linked_partner_id"] {
            if let rule = scope.partnerVisible(SQLColumn(column, table: PartnerLink.schema)) { query.filter(.custom(rule)) }
        }
        return query
    }

    /// `partner` lists the links of a partner in both directions.
    func list(partner: UUID?, kind: UUID?, includeDeleted: Bool) -> QueryBuilder<PartnerLink> {
        let query = Self.scoped(scope, on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let partner { query.group(.or) { $0.filter(\.$partnerID == partner).filter(\.$linkedPartnerID == partner) } }
        if let kind { query.filter(\.$kindID == kind) }
        return query.sort(\.$createdAt).sort(\.$id)
    }

    func visible(_ id: UUID) async throws -> PartnerLink? {
        try await Self.scoped(scope, on: db).filter(\.$id == id).first()
    }

    func dto(_ link: PartnerLink) async throws -> PartnerLinkDTO { try PartnerLinkDTO(link) }

    func create(_ input: PartnerLinkInput) async throws -> PartnerLink {
        let link = PartnerLink()
        try await apply(input, to: link, creating: true)
        try await writer.create(link)
        return link
    }

    func update(_ link: PartnerLink, with input: PartnerLinkInput, clearing: Set<String>) async throws {
        let before = try PartnerLinkDTO(link)
        try await apply(input, to: link, creating: false)
        try await writer.update(link, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ link: PartnerLink, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(link, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<PartnerLink> {
        RecordWriter(db: db, author: author) { try PartnerLinkDTO($0) }
    }

    private func apply(_ input: PartnerLinkInput, to link: PartnerLink, creating: Bool) async throws {
        var errors = FieldErrors()
        let partner = input.partnerId ?? (creating ? nil : link.partnerID)
        let linked = input.linkedPartnerId ?? (creating ? nil : link.linkedPartnerID)
        let kind = input.kindId ?? (creating ? nil : link.kindID)
        for (field, id) in [("partnerId", partner), ("linkedPartnerId", linked)] {
            guard let id else { errors.add(field, "is required"); continue }
            if !(try await PartnerQueries.isLive(id, scope: scope, on: db)) { errors.add(field, "names a partner that does not exist") }
        }
        if let partner, partner == linked { errors.add("linkedPartnerId", "must be another partner") }
        if let kind {
            if try await PartnerLinkKind.query(on: db).filter(\.$id == kind).filter(\.$deletionMark == false).count() == 0 {
                errors.add("kindId", "names a link kind that does not exist")
            }
        } else {
            errors.add("kindId", "is required")
        }
        if errors.isEmpty, let partner, let linked, let kind {
            let same = PartnerLink.query(on: db).filter(\.$deletionMark == false).filter(\.$kindID == kind)
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
