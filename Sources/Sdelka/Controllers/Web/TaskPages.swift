import Fluent
import SdelkaCore
import Vapor

/// «Мои задачи»: the open checklist actions of open deals, the signed-in user's by default.
enum TaskPages {
    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.tasks.component, use: list)
    }

    struct Line: Encodable, Sendable {
        var id: UUID
        var dealId: UUID
        var deal: String
        var stage: String
        var text: String
        var required: Bool
        var due: String
        var overdue: Bool
        var responsible: String
    }

    struct Body: Encodable, Sendable {
        var items: [Line]
        var total: Int
        var responsibles: [FormOption]
        var dueOptions: [FormOption]
        var canEdit: Bool
        var back: String
        var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let user = try req.user
        let t = req.application.localizer.strings(WebPage.language(req))
        let zone = req.application.sdelka.timeZone
        let today = CalendarDate(Date(), in: zone)
        var filter = try TaskQueries.filter(from: req)
        // Without a choice the page is the user's own list; "anyone" is an explicit empty choice.
        if req.query[String.self, at: "responsibleId"] == nil { filter.responsibleID = user.id }
        let dueChoice = req.text("due") ?? ""
        if dueChoice == "today" { filter.due = today } else if dueChoice == "overdue" { filter.due = today.adding(days: -1) }
        let pageRequest = try PageRequest(req)
        let (total, tasks) = try await pageRequest.rows(TaskQueries.query(on: req.db, scope: try await req.accessScope(), filter))
        let dtos = try await TaskQueries.dtos(tasks, on: req.db)
        let stages = Dictionary(uniqueKeysWithValues: try await DealStage.query(on: req.db).filter(\.$id ~~ Set(tasks.map(\.stageID))).all()
            .map { ($0.id!, $0.name) })
        let users = try await ReferenceNames.load(req).users
        let items = dtos.map { task in
            Line(id: task.id, dealId: task.dealId, deal: "№\u{00A0}\(task.dealNumber ?? 0) · \(task.dealName ?? "")", stage: stages[task.stageId] ?? "",
                 text: task.text, required: task.required, due: task.dueDate.map(RussianFormat.date) ?? "",
                 overdue: task.dueDate.map { $0 < today.description } ?? false, responsible: ReferenceNames.name(task.responsibleId, in: users))
        }
        let dueOptions = FormOptions.make([("today", t["due_today"] ?? ""), ("overdue", t["due_overdue"] ?? "")], selected: dueChoice, blank: t["due_all"] ?? "")
        let body = Body(items: items, total: total,
                        responsibles: ReferenceNames.options(users, selected: filter.responsibleID, blank: t["filter_any"] ?? "—"),
                        dueOptions: dueOptions, canEdit: user.role.can(.editRecords), back: req.url.string,
                        pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("tasks", titleKey: "nav_tasks", page: body, for: req)
    }
}
