import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// The audit log's list: its filter and the query, newest first.
enum AuditQueries {
    struct Filter: Sendable {
        var objectType: String?
        var objectID: String?
        var userID: UUID?
        var from: Date?
        var to: Date?
    }

    static func query(on db: any Database, _ filter: Filter) -> QueryBuilder<AuditEntry> {
        let query = AuditEntry.query(on: db)
        if let type = filter.objectType { query.filter(\.$objectType == type) }
        if let id = filter.objectID { query.filter(\.$objectID == id) }
        if let user = filter.userID { query.filter(\.$userID == user) }
        if let from = filter.from { query.filter(\.$at >= from) }
        if let to = filter.to { query.filter(\.$at < to) }
        return query.sort(\.$at, .descending).sort(\.$id)
    }
}
