import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// The sales list: its filter and the query, through the access rule.
enum SaleQueries {
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

    /// Newest first; `q` finds a document by its number.
    static func query(on db: any Database, scope: AccessScope, _ filter: Filter) -> QueryBuilder<Sale> {
        let query = SaleQueries.scoped(scope, on: db)
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
}

extension SaleQueries {
    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<Sale> {
        guard scope != .all else { return Sale.query(on: db) }
        let query = Sale.query(on: db).join(Partner.self, on: \Sale.$partnerID == \Partner.$id)
        return scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }
}
