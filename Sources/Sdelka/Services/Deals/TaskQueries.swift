import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Deal tasks (open checklist actions) seen through the deals' partners.
enum TaskQueries {
    struct Filter: Sendable {
        var responsibleID: UUID?
        var due: CalendarDate?
        var dealID: UUID?
        var done: Bool?
    }

    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<DealTask> {
        let query = DealTask.query(on: db)
            .join(Deal.self, on: \DealTask.$dealID == \Deal.$id)
            .join(Partner.self, on: \Deal.$partnerID == \Partner.$id)
        return scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)
    }

    /// Open tasks of open deals by default; `due` keeps those due on or before that day;
    /// a deal's own list (`dealId`) shows every task of it, done or not.
    static func query(on db: any Database, scope: AccessScope, _ filter: Filter) -> QueryBuilder<DealTask> {
        let query = scoped(scope, on: db).filter(Deal.self, \.$deletionMark == false)
        if let deal = filter.dealID {
            query.filter(\.$dealID == deal)
        } else {
            query.filter(Deal.self, \.$status == .open)
        }
        if let done = filter.done ?? (filter.dealID == nil ? false : nil) { query.filter(\.$done == done) }
        if let user = filter.responsibleID { query.filter(\.$responsibleID == user) }
        if let due = filter.due { query.filter(\.$dueDate <= due.description) }
        // Tasks without a due day come last on both databases.
        return query.sort(.custom(SQLRaw("COALESCE(deal_tasks.due_date, '9999-12-31')"))).sort(Deal.self, \.$number).sort(\.$stageOrder).sort(\.$position)
    }

    static func dtos(_ tasks: [DealTask], on db: any Database) async throws -> [DealTaskDTO] {
        let deals = Dictionary(uniqueKeysWithValues: try await Deal.query(on: db).filter(\.$id ~~ Set(tasks.map(\.dealID))).all()
            .map { ($0.id!, $0) })
        return try tasks.map { task in
            let deal = deals[task.dealID]
            return DealTaskDTO(id: try task.requireID(), dealId: task.dealID, dealNumber: deal?.number, dealName: deal?.name,
                               stageId: task.stageID, text: task.text, required: task.required, dueDate: task.dueDate,
                               responsibleId: task.responsibleID, done: task.done, doneAt: task.doneAt, doneBy: task.doneBy)
        }
    }
}
