import Fluent
import SdelkaCore
import Vapor

/// The buttons of the deal card and the board: each posts a form, goes through the same
/// `DealTransitions` as the API, and comes back with the outcome as a message. A stage
/// change the checklist blocks comes back naming the open actions.
enum DealActions {
    static func register(on deals: any RoutesBuilder, staged: any RoutesBuilder) {
        deals.post(":id", SiteAction.win.component, use: win)
        deals.post(":id", SiteAction.lose.component, use: lose)
        deals.post(":id", SiteAction.reopen.component, use: reopen)
        staged.post(":id", SiteAction.stage.component, use: stage)
        staged.post(":id", SiteAction.tasks.component, ":task", SiteAction.complete.component, use: completeTask)
        staged.post(":id", SiteAction.tasks.component, ":task", SiteAction.reopen.component, use: reopenTask)
    }

    /// Back to where the button was (the card, the board, the task list), never off-site.
    static func back(_ req: Request, form: PostedForm, deal: UUID) -> String {
        if let back = LocalPath.checked(form.text("back")) { return back }
        return Site.deals.path(deal)
    }

    static func perform(_ req: Request, flashKey: String, _ action: (Deal, DealService, PostedForm, CurrentUser) async throws -> Void) async throws -> Response {
        let user = try req.require(.editRecords)
        let form = try PostedForm(req)
        let (deal, service) = try await req.record(DealService.self)
        let id = try deal.requireID()
        do {
            try await action(deal, service, form, user)
            return WebPage.redirect(req, to: back(req, form: form, deal: id), flash: WebPage.text(req, flashKey, ["name": deal.name]))
        } catch let blocked as ChecklistBlocked {
            let actions = blocked.actions.joined(separator: "; ") + "."
            return WebPage.redirect(req, to: back(req, form: form, deal: id), flash: WebPage.text(req, "checklist_blocked", ["actions": actions]))
        } catch let errors as FieldErrors {
            return WebPage.redirect(req, to: back(req, form: form, deal: id), flash: FormErrors.localize(errors.fields, req).values.sorted().joined(separator: "; "))
        } catch {
            guard let failure = APIError(answering: error), failure.status != .forbidden && failure.status != .notFound else { throw error }
            let message = failure.fields.map { FormErrors.localize($0, req).values.sorted().joined(separator: "; ") } ?? WebPage.text(req, "error_\(failure.code)")
            return WebPage.redirect(req, to: back(req, form: form, deal: id), flash: message)
        }
    }

    @Sendable static func stage(req: Request) async throws -> Response {
        try await perform(req, flashKey: "deal_moved") { deal, service, form, user in
            guard let stage = form.uuid("stageId") else { throw APIError.validation("stageId", "is required") }
            try await DealTransitions(service: service).move(deal, to: stage, override: form.flag("override"),
                                                             canOverride: user.role.can(.overrideChecklist),
                                                             expectedVersion: form.text("version").flatMap { Int($0) })
        }
    }

    @Sendable static func win(req: Request) async throws -> Response {
        try await perform(req, flashKey: "deal_won") { deal, service, form, _ in
            try await DealTransitions(service: service).win(deal, expectedVersion: form.text("version").flatMap { Int($0) })
        }
    }

    @Sendable static func lose(req: Request) async throws -> Response {
        try await perform(req, flashKey: "deal_lost") { deal, service, form, _ in
            try await DealTransitions(service: service).lose(deal, reasonID: form.uuid("lossReasonId"), competitorID: form.uuid("competitorId"),
                                                             expectedVersion: form.text("version").flatMap { Int($0) })
        }
    }

    @Sendable static func reopen(req: Request) async throws -> Response {
        try await perform(req, flashKey: "deal_reopened") { deal, service, form, _ in
            try await DealTransitions(service: service).reopen(deal, expectedVersion: form.text("version").flatMap { Int($0) })
        }
    }

    @Sendable static func completeTask(req: Request) async throws -> Response {
        try await task(req, done: true)
    }

    @Sendable static func reopenTask(req: Request) async throws -> Response {
        try await task(req, done: false)
    }

    private static func task(_ req: Request, done: Bool) async throws -> Response {
        let form = try PostedForm(req)
        let dealID = try req.idParameter()
        let task = try await TaskService(context: req.serviceContext()).mark(req.idParameter("task"), done: done)
        guard task.dealId == dealID else { throw APIError.notFound("task") }
        return WebPage.redirect(req, to: back(req, form: form, deal: dealID),
                                flash: WebPage.text(req, done ? "task_done" : "task_reopened", ["name": task.text]))
    }
}
