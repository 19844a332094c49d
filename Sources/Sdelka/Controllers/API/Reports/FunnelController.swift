import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/funnel?kindId=&from=&to=&responsibleId=`, behind the `deals` switch.
enum FunnelController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "funnel", use: funnel)
    }

    @Sendable static func funnel(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await FunnelReport.make(try FunnelReport.filter(req), scope: try await req.accessScope(),
                                                 zone: req.application.sdelka.timeZone, on: req.db)
        return try await ReportFormat.respond(req, report, table: FunnelReport.table)
    }
}
