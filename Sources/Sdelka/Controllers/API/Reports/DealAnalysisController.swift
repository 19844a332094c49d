import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/deals`, behind the `deals` switch.
enum DealAnalysisController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "deals", use: report)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await DealAnalysisReport.make(try DealAnalysisReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, table: DealAnalysisReport.table)
    }
}
