import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/forecast`, behind the `deals` switch.
enum ForecastController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "forecast", use: report)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await ForecastReport.make(try ForecastReport.filter(req), scope: try await req.accessScope(), on: req.db)
        return try await ReportFormat.respond(req, report, table: ForecastReport.table)
    }
}
