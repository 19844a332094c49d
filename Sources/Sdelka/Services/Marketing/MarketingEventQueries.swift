import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// The marketing events list: its filter and the query.
enum MarketingEventQueries {
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
}
