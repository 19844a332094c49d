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

    static func filter(_ req: Request) throws -> MarketingEffectivenessReport.Filter {
        var params = QueryParameters(req)
        let filter = MarketingEffectivenessReport.Filter(from: params.date("from"), to: params.date("to"))
        try params.check()
        return filter
    }

    @Sendable static func report(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await MarketingEffectivenessReport.make(try filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, table: MarketingEffectivenessReport.table)
    }
}
