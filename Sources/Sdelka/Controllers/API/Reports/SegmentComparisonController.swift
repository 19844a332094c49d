import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/segments-compare`, behind the `segments` switch.
enum SegmentComparisonController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("reports", "segments-compare", use: report)
    }

    @Sendable static func report(req: Request) async throws -> Response {
        let report = try await SegmentComparisonReport.make(try SegmentComparisonReport.filter(req), service: try await req.service(SegmentService.self))
        return try await ReportFormat.respond(req, report, table: SegmentComparisonReport.table)
    }
}
