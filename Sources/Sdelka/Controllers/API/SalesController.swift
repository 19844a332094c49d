import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/sales`: sales documents and returns, and a partner's sales by month.
enum SalesController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("sales")
        group.get(use: index)
        RecordResource<SaleService>.register(on: group)
        group.get("monthly", use: monthly)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<SaleDTO> {
        let service = try await req.service(SaleService.self)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(SaleQueries.query(on: req.db, scope: service.scope, try SaleQueries.filter(from: req)))
        return PageDTO(items: try await service.dtos(rows), total: total, page: page.page, per: page.per)
    }

    /// `GET /api/v1/sales/monthly?partnerId=&months=24`: the partner's totals by month, newest first.
    @Sendable static func monthly(req: Request) async throws -> [SalesMonthDTO] {
        var params = QueryParameters(req)
        let partner = params.uuid("partnerId")
        let months = req.query[Int.self, at: "months"] ?? 24
        if partner == nil && req.text("partnerId") == nil { params.fail("partnerId", "is required") }
        if !(1...120).contains(months) { params.fail("months", "must be between 1 and 120") }
        try params.check()
        guard let partner, try await PartnerQueries.scoped(try await req.accessScope(), on: req.db).filter(\.$id == partner).count() > 0 else {
            throw APIError.notFound("partner")
        }
        return try await SalesTotals.monthly(partner: partner, months: months, today: CalendarDate(Date(), in: req.application.sdelka.timeZone), on: req.db)
    }
}
