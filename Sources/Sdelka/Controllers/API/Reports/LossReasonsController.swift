import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/loss-reasons`, behind the `deals` switch.
enum LossReasonsController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "loss-reasons", use: report)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await LossReasonsReport.make(try LossReasonsReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, table: LossReasonsReport.table)
    }
}
