import Fluent
import Foundation
import SdelkaCore
import Vapor

enum PartnerDossierController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "partners", ":id", "dossier", use: dossier)
    }

    @Sendable static func dossier(req: Request) async throws -> Response {
        let (partner, service) = try await req.record(PartnerService.self)
        let dossier = try await PartnerDossierDTO.load(partner, reader: service.author, scope: service.scope, zone: req.application.sdelka.timeZone, on: req.db)
        return try await ReportFormat.respond(req, dossier, table: PartnerDossierDTO.table)
    }
}
