import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/claims`, behind the `claims` switch: clients' claims through their partner's
/// access group; the status moves by `POST /claims/{id}/status`.
enum ClaimsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("claims")
        group.get(use: index)
        RecordResource<ClaimService>.register(on: group)
        group.post(":id", "status", use: status)
        routes.get("reports", "claims", use: report)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<ClaimDTO> {
        let service = try await req.service(ClaimService.self)
        let query = ClaimQueries.query(on: req.db, scope: service.scope, try ClaimQueries.filter(from: req))
        return try await PageRequest(req).fetch(query) { try ClaimDTO($0) }
    }

    @Sendable static func status(req: Request) async throws -> ClaimDTO {
        try req.require(ClaimService.editPermission)
        let (claim, service) = try await req.record(ClaimService.self)
        try await service.changeStatus(claim, try req.content.decode(ClaimStatusInput.self))
        return try await service.dto(claim)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await ClaimsReport.make(try ClaimsReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, table: ClaimsReport.table)
    }
}
