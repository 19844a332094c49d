import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// The deals list: its filter and the query, through the access rule.
enum DealQueries {
    struct Filter: Sendable {
        var q: String?
        var partnerID: UUID?
        var kindID: UUID?
        var stageID: UUID?
        var status: DealStatus?
        var responsibleID: UUID?
        var from: CalendarDate?
        var to: CalendarDate?
        var includeDeleted = false
    }

    /// Newest first; `from`/`to` bound the start date.
    static func query(on db: any Database, scope: AccessScope, _ filter: Filter) -> QueryBuilder<Deal> {
        let query = DealQueries.scoped(scope, on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let value = filter.partnerID { query.filter(\.$partnerID == value) }
        if let value = filter.kindID { query.filter(\.$kindID == value) }
        if let value = filter.stageID { query.filter(\.$stageID == value) }
        if let value = filter.status { query.filter(\.$status == value) }
        if let value = filter.responsibleID { query.filter(\.$responsibleID == value) }
        if let from = filter.from { query.filter(\.$startDate >= from.description) }
        if let to = filter.to { query.filter(\.$startDate <= to.description) }
        return query.sort(\.$number, .descending)
    }
}

extension DealQueries {
    /// Deals of partners the user may see; the partner is joined only when the rule restricts.
    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<Deal> {
        guard scope != .all else { return Deal.query(on: db) }
        let query = Deal.query(on: db).join(Partner.self, on: \Deal.$partnerID == \Partner.$id)
        return scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }
}
