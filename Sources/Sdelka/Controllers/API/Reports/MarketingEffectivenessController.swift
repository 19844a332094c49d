import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/marketing-events`, behind the `marketingEvents` switch.
enum MarketingEffectivenessController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "marketing-events", use: report)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await MarketingEffectivenessReport.make(try MarketingEffectivenessReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, table: MarketingEffectivenessReport.table)
    }
}
