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

    enum Kind: String, CaseIterable { case sale, `return` }

    struct Filter: Sendable {
        var q: String?
        var partnerID: UUID?
        var counterpartyID: UUID?
        var organizationID: UUID?
        var dealID: UUID?
        var isReturn: Bool?
        var from: CalendarDate?
        var to: CalendarDate?
        var includeDeleted = false
    }

    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), partnerID: params.uuid("partnerId"), counterpartyID: params.uuid("counterpartyId"),
                            organizationID: params.uuid("organizationId"), dealID: params.uuid("dealId"),
                            isReturn: params.oneOf("kind", Kind.self).map { $0 == .return },
                            from: params.date("from"), to: params.date("to"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }

    /// Newest first; `q` finds a document by its number.
    static func query(on db: any Database, scope: AccessScope, _ filter: Filter) -> QueryBuilder<Sale> {
        let query = SaleService.scoped(scope, on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$number ~~ q) }
        if let value = filter.partnerID { query.filter(\.$partnerID == value) }
        if let value = filter.counterpartyID { query.filter(\.$counterpartyID == value) }
        if let value = filter.organizationID { query.filter(\.$organizationID == value) }
        if let value = filter.dealID { query.filter(\.$dealID == value) }
        if let value = filter.isReturn { query.filter(\.$isReturn == value) }
        if let from = filter.from { query.filter(\.$date >= from.description) }
        if let to = filter.to { query.filter(\.$date <= to.description) }
        return query.sort(\.$date, .descending).sort(\.$number, .descending)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<SaleDTO> {
        let service = try await req.service(SaleService.self)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query(on: req.db, scope: service.scope, try filter(from: req)))
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
