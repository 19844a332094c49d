import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `/api/v1/tasks`: the open checklist actions of open deals, seen through the deals' partners.
enum TasksController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("tasks")
        group.get(use: index)
        group.post(":id", "complete", use: complete)
        group.post(":id", "reopen", use: reopen)
    }

    struct Filter: Sendable {
        var responsibleID: UUID?
        var due: CalendarDate?
        var dealID: UUID?
        var done: Bool?
    }

    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(responsibleID: params.uuid("responsibleId"), due: params.date("due"), dealID: params.uuid("dealId"),
                            done: params.bool("done"))
        try params.check()
        return filter
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

    @Sendable static func index(req: Request) async throws -> PageDTO<DealTaskDTO> {
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query(on: req.db, scope: try await req.accessScope(), try filter(from: req)))
        return PageDTO(items: try await dtos(rows, on: req.db), total: total, page: page.page, per: page.per)
    }

    @Sendable static func complete(req: Request) async throws -> DealTaskDTO {
        try await mark(req, id: try req.idParameter(), done: true)
    }

    @Sendable static func reopen(req: Request) async throws -> DealTaskDTO {
        try await mark(req, id: try req.idParameter(), done: false)
    }

    /// Who completed a task and when is kept on it and in the deal's audit history.
    static func mark(_ req: Request, id: UUID, done: Bool) async throws -> DealTaskDTO {
        let user = try req.require(.editRecords)
        guard let task = try await scoped(try await req.accessScope(), on: req.db).filter(\.$id == id).first() else {
            throw APIError.notFound("task")
        }
        guard task.done != done else { return try await dtos([task], on: req.db)[0] }
        task.done = done
        task.doneAt = done ? Date() : nil
        task.doneBy = done ? user.id : nil
        try await req.db.writeTransaction { tx in
            try await task.update(on: tx)
            try await Audit.record(.update, objectType: Deal.objectType, objectID: task.dealID.uuidString,
                                   changes: [FieldChange(field: "task", old: done ? nil : .string(task.text), new: done ? .string(task.text) : nil)],
                                   by: ChangeAuthor(user), on: tx)
        }
        return try await dtos([task], on: req.db)[0]
    }
}
