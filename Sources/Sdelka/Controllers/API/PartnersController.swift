import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `/api/v1/partners`: every query goes through `PartnerQueries.scoped`, so a user never sees,
/// finds or changes a partner outside their access groups.
enum PartnersController {
    static func register(on routes: any RoutesBuilder) {
        let partners = routes.grouped("partners")
        partners.get(use: index)
        RecordResource<PartnerService>.register(on: partners)
        partners.post("duplicates", use: duplicates)
        partners.post(":id", "merge", use: merge)
        partners.get(":id", "classification", use: classification)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<PartnerDTO> {
        let scope = try await req.accessScope()
        let page = try PageRequest(req)
        let (total, partners) = try await PartnerQueries.page(page, try await PartnerQueries.filter(from: req), scope: scope, on: req.db)
        return PageDTO(items: try await PartnerQueries.dtos(partners, on: req.db), total: total, page: page.page, per: page.per)
    }

    @Sendable static func duplicates(req: Request) async throws -> PartnerDuplicates.Answer {
        let draft = try req.content.decode(PartnerDuplicates.Draft.self)
        let candidates = try await PartnerDuplicates.find(draft, scope: try await req.accessScope(), on: req.db)
        return PartnerDuplicates.Answer(candidates: candidates)
    }

    /// `{"intoId"}`: both partners must be visible to the user.
    /// The partner's ABC/XYZ history and relationship stage, through the access rule.
    @Sendable static func classification(req: Request) async throws -> PartnerClassificationDTO {
        let (partner, _) = try await RecordResource<PartnerService>.found(req)
        return try await PartnerClassificationDTO.load(partner: try partner.requireID(), on: req.db)
    }

    @Sendable static func merge(req: Request) async throws -> PartnerMerge.Result {
        struct Body: Content { var intoId: UUID }
        let user = try req.require(.editRecords)
        let (merged, service) = try await RecordResource<PartnerService>.found(req)
        let body = try req.content.decode(Body.self)
        guard let survivor = try await PartnerQueries.scoped(service.scope, on: req.db).filter(\.$id == body.intoId).first() else {
            throw APIError.validation("intoId", "names a partner that does not exist")
        }
        let moved = try await PartnerMerge.merge(merged, into: survivor, by: ChangeAuthor(user), on: req.db)
        return PartnerMerge.Result(survivor: try await service.dto(survivor), moved: moved)
    }
}
