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

    static func filter(_ req: Request) throws -> FunnelReport.Filter {
        var params = QueryParameters(req)
        let filter = FunnelReport.Filter(kindID: params.uuid("kindId"), from: params.date("from"), to: params.date("to"),
                                         responsibleID: params.uuid("responsibleId"))
        try params.check()
        return filter
    }

    @Sendable static func funnel(req: Request) async throws -> Response {
        _ = try req.user
        let report = try await FunnelReport.make(try filter(req), scope: try await req.accessScope(),
                                                 zone: req.application.sdelka.timeZone, on: req.db)
        return try await ReportFormat.respond(req, report, table: FunnelReport.table)
    }
}
