import Fluent
import Foundation
import SdelkaCore

/// Claims are seen through their partner's access group (DOMAIN.md §9), in the SQL itself.
enum ClaimQueries {
    struct Filter: Sendable {
        var q: String?
        var partnerID: UUID?
        var status: ClaimStatus?
        /// Open: registered or in process; closed: satisfied or not.
        var open: Bool?
        var causeID: UUID?
        var departmentID: UUID?
        var responsibleID: UUID?
        var basisID: UUID?
        var from: CalendarDate?
        var to: CalendarDate?
        var includeDeleted = false
    }

    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<Claim> {
        let query = Claim.query(on: db).join(Partner.self, on: \Claim.$partnerID == \Partner.$id)
        return scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }

    /// Newest first; `q` searches number and description.
    static func query(on db: any Database, scope: AccessScope, _ filter: Filter) -> QueryBuilder<Claim> {
        let query = scoped(scope, on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let value = filter.partnerID { query.filter(\.$partnerID == value) }
        if let value = filter.status { query.filter(\.$status == value) }
        if let open = filter.open {
            query.filter(\.$status ~~ ClaimStatus.allCases.filter { $0.isClosed != open })
        }
        if let value = filter.causeID { query.filter(\.$causeID == value) }
        if let value = filter.departmentID { query.filter(\.$departmentID == value) }
        if let value = filter.responsibleID { query.filter(\.$responsibleID == value) }
        if let value = filter.basisID { query.filter(\.$basisID == value) }
        if let from = filter.from { query.filter(\.$date >= from.description) }
        if let to = filter.to { query.filter(\.$date <= to.description) }
        return query.sort(\.$date, .descending).sort(\.$number, .descending)
    }
}
