import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/competitor-prices`, `/api/v1/competitor-notes`, the price sources catalogue and the
/// price-comparison and competitors reports, behind the `competitorIntel` switch.
enum CompetitorsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("competitor-prices")
        group.get(use: prices)
        RecordResource<CompetitorPriceService>.register(on: group)
        let notes = routes.grouped("competitor-notes")
        notes.get(use: notesIndex)
        RecordResource<CompetitorNoteService>.register(on: notes)
        CatalogController<CompetitorPriceSource>(path: "competitor-price-sources").register(on: routes)
        routes.get("reports", "price-comparison", use: comparison)
        routes.get("reports", "competitors", use: competitors)
    }

    @Sendable static func prices(req: Request) async throws -> PageDTO<CompetitorPriceDTO> {
        let filter = try CompetitorPriceService.Filter.filter(from: req)
        let service = try await req.service(CompetitorPriceService.self)
        let pageRequest = try PageRequest(req)
        let (total, rows) = try await pageRequest.rows(service.list(filter))
        return PageDTO(items: try await service.dtos(rows), total: total, page: pageRequest.page, per: pageRequest.per)
    }

    @Sendable static func notesIndex(req: Request) async throws -> PageDTO<CompetitorNoteDTO> {
        var params = QueryParameters(req)
        let competitor = params.uuid("competitorId")
        try params.check()
        let query = try await req.service(CompetitorNoteService.self).list(competitorID: competitor, includeDeleted: req.flag("includeDeleted"))
        return try await PageRequest(req).fetch(query) { try CompetitorNoteDTO($0) }
    }

    @Sendable static func comparison(req: Request) async throws -> Response {
        let context = try await req.serviceContext()
        let report = try await PriceComparisonReport.make(try PriceComparisonReport.filter(req, today: context.today), on: req.db)
        return try await ReportFormat.respond(req, report, table: PriceComparisonReport.table)
    }

    @Sendable static func competitors(req: Request) async throws -> Response {
        let context = try await req.serviceContext()
        let (from, to) = try CompetitorsReport.period(req, today: context.today)
        let report = try await CompetitorsReport.make(from: from, to: to, scope: context.scope, on: req.db)
        return try await ReportFormat.respond(req, report, table: CompetitorsReport.table)
    }
}
