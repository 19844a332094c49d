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

    struct Filter: Sendable {
        var q: String?
        var channelID: UUID?
        var responsibleID: UUID?
        var partnerID: UUID?
        var finished: Bool?
        var from: CalendarDate?
        var to: CalendarDate?
        var includeDeleted = false
    }

    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), channelID: params.uuid("channelId"), responsibleID: params.uuid("responsibleId"),
                            partnerID: params.uuid("partnerId"), finished: params.bool("finished"),
                            from: params.date("from"), to: params.date("to"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }

    /// Newest first; `from`/`to` select events whose planned period overlaps the given one.
    static func query(on db: any Database, _ filter: Filter) -> QueryBuilder<MarketingEvent> {
        let query = MarketingEvent.query(on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let value = filter.channelID { query.filter(\.$channelID == value) }
        if let value = filter.responsibleID { query.filter(\.$responsibleID == value) }
        if let value = filter.finished { query.filter(\.$finished == value) }
        if let from = filter.from { query.filter(\.$plannedEnd >= from.description) }
        if let to = filter.to { query.filter(\.$plannedStart <= to.description) }
        if let partner = filter.partnerID {
            query.filter(.custom(SQLPredicates.idIn(MarketingEvent.schema, "marketing_event_participants", select: "event_id",
                                                    where: "partner_id", .equal, partner)))
        }
        return query.sort(\.$plannedStart, .descending).sort(\.$id)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<MarketingEventDTO> {
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query(on: req.db, try filter(from: req)))
        return PageDTO(items: try await req.service(MarketingEventService.self).dtos(rows), total: total, page: page.page, per: page.per)
    }

}
