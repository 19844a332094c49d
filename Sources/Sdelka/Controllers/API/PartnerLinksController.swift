import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/partner-links`: a link is visible only to a user who may see both partners.
enum PartnerLinksController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("partner-links")
        group.get(use: index)
        RecordResource<PartnerLinkService>.register(on: group)
    }

    /// `?partnerId=` lists the links of a partner in both directions.
    @Sendable static func index(req: Request) async throws -> PageDTO<PartnerLinkDTO> {
        var params = QueryParameters(req)
        let partner = params.uuid("partnerId")
        let kind = params.uuid("kindId")
        try params.check()
        let query = try await req.service(PartnerLinkService.self).list(partner: partner, kind: kind, includeDeleted: req.flag("includeDeleted"))
        return try await PageRequest(req).fetch(query) { try PartnerLinkDTO($0) }
    }
}
