import Fluent
import SdelkaCore
import Vapor

/// The claims of a partner, or resting on a deal or a sale, as a panel of its card; nil when
/// claims are switched off.
struct ClaimsPanel: Encodable, Sendable {
    var rows: [ClaimPages.Row]
    var all: String
    var new: String?

    static func load(partner: UUID, basis: ClaimBasisDTO? = nil, scope: AccessScope, req: Request) async throws -> ClaimsPanel? {
        guard try await SettingsStore.features(on: req.db).isEnabled(.claims) else { return nil }
        var filter = ClaimQueries.Filter()
        if let basis { filter.basisID = basis.id } else { filter.partnerID = partner }
        let claims = try await ClaimQueries.query(on: req.db, scope: scope, filter).range(0..<20).all()
        let t = req.application.localizer.strings(WebPage.language(req))
        let causes = try await ReferenceNames.catalog(ClaimCause.self, req.db)
        let users = try await User.query(on: req.db).filter(\.$id ~~ claims.compactMap(\.responsibleID)).all()
            .map { (try $0.requireID(), $0.name) }
        let partners = try await Partner.names(of: claims.map(\.partnerID), scope: scope, on: req.db)
        let rows = try claims.map { try ClaimPages.row($0, partners: partners, causes: causes, users: users, t: t) }
        var new = Site.claims.new + "?partnerId=\(partner)"
        if let basis { new += "&basis=\(basis.type.rawValue):\(basis.id)" }
        return ClaimsPanel(rows: rows, all: Site.claims.path + (basis.map { "?basisId=\($0.id)" } ?? "?partnerId=\(partner)"),
                           new: try req.user.role.can(.editRecords) ? new : nil)
    }
}
