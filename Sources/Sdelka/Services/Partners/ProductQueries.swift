import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// The products list: its filter and the query.
enum ProductQueries {
    struct Filter: Sendable {
        var q: String?
        var groupID: UUID?
        var includeDeleted = false
    }

    static func query(on db: any Database, _ filter: Filter) -> QueryBuilder<Product> {
        let query = Product.query(on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let group = filter.groupID { query.filter(\.$groupID == group) }
        return query.sort(\.$name).sort(\.$sku)
    }
}
