import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/marketing-events`, behind the `marketingEvents` switch.
enum MarketingEventsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("marketing-events")
        group.get(use: index)
        RecordResource<MarketingEventService>.register(on: group)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<MarketingEventDTO> {
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(MarketingEventQueries.query(on: req.db, try MarketingEventQueries.filter(from: req)))
        return PageDTO(items: try await req.service(MarketingEventService.self).dtos(rows), total: total, page: page.page, per: page.per)
    }

}
