import Fluent
import SdelkaCore
import Vapor

enum AuditController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("audit", use: index)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<AuditEntryDTO> {
        try req.require(.viewAudit)
        let query = AuditQueries.query(on: req.db, try AuditQueries.filter(from: req))
        return try await PageRequest(req).fetch(query) { try AuditEntryDTO($0) }
    }
}
