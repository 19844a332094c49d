import Fluent
import SdelkaCore
import Vapor

/// List and form pages for a simple catalogue; they go through `CatalogService`, as the API does.
struct CatalogPages<M: CatalogModel>: Sendable {
    let section: Site
    let titleKey: String

    struct ListBody: Encodable, Sendable {
        var base: String
        var items: [CatalogDTO]
        var total: Int
        var q: String
        var includeDeleted: Bool
        var canEdit: Bool
        var pager: Pager
    }

    struct FormBody: Encodable, Sendable {
        var base: String
        var id: UUID?
        var name: String
        var hasReverseName: Bool
        var reverseName: String
        var hasParent: Bool
        var parents: [FormOption]
        var hasUnsubscribable: Bool
        var unsubscribable: Bool
        var comment: String
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var errors: [String: String]
        var history: [AuditPages.Row]
    }

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(section.component)
        group.get(use: list)
        group.get(SitePage.new.component, use: new)
        group.post(use: create)
        group.get(":id", use: edit)
        group.post(":id", use: update)
        let section = section
        RecordPageActions<CatalogService<M>>.register(on: group) { section.path($0) }
    }

    @Sendable func list(req: Request) async throws -> Response {
        let pageRequest = try PageRequest(req)
        let includeDeleted = req.flag("includeDeleted")
        let query = try await req.service(CatalogService<M>.self).list(q: req.text("q"), includeDeleted: includeDeleted)
        let page = try await pageRequest.fetch(query) { try CatalogDTO($0) }
        let body = ListBody(base: section.path, items: page.items, total: page.total, q: req.text("q") ?? "",
                            includeDeleted: includeDeleted, canEdit: try req.user.role.can(M.editPermission),
                            pager: Pager(req, page: page.page, per: page.per, total: page.total))
        return try await WebPage.render("catalog-list", titleKey: titleKey, page: body, for: req)
    }

    func form(_ req: Request, model: M?, input: CatalogInput? = nil, errors: [String: String] = [:]) async throws -> FormBody {
        var history: [AuditPages.Row] = []
        if let model {
            history = try await AuditPages.history(of: M.objectType, id: model.requireID(), req: req)
        }
        var parents: [FormOption] = []
        if M.hasParent {
            let others = try await req.service(CatalogService<M>.self).list(q: nil, includeDeleted: false).all()
                .filter { $0.id != model?.id }.map { (try $0.requireID(), $0.name) }
            parents = ReferenceNames.options(others, selected: input?.parentId ?? model?.parentID, blank: "—")
        }
        return FormBody(base: section.path, id: model?.id, name: input?.name ?? model?.name ?? "",
                        hasReverseName: M.hasReverseName, reverseName: input?.reverseName ?? model?.reverseName ?? "",
                        hasParent: M.hasParent, parents: parents,
                        hasUnsubscribable: M.hasUnsubscribable, unsubscribable: input?.unsubscribable ?? model?.unsubscribable ?? true,
                        comment: input?.comment ?? model?.comment ?? "", version: model?.version ?? 0,
                        deletionMark: model?.deletionMark ?? false, canEdit: try req.user.role.can(M.editPermission),
                        errors: errors, history: history)
    }

    @Sendable func new(req: Request) async throws -> Response {
        try req.require(M.editPermission)
        return try await WebPage.render("catalog-form", titleKey: titleKey, page: form(req, model: nil), for: req)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let (model, _) = try await req.record(CatalogService<M>.self)
        return try await WebPage.render("catalog-form", titleKey: titleKey, page: form(req, model: model), for: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.require(M.editPermission)
        let input = try Self.formInput(req)
        do {
            let model = try await req.service(CatalogService<M>.self).create(input)
            return WebPage.redirect(req, to: section.path, flash: WebPage.text(req, "created", ["name": model.name]))
        } catch let errors as FieldErrors {
            let body = try await form(req, model: nil, input: input, errors: FormErrors.localize(errors.fields, req))
            return try await WebPage.render("catalog-form", titleKey: titleKey, page: body, for: req, status: .unprocessableEntity)
        }
    }

    @Sendable func update(req: Request) async throws -> Response {
        try req.require(M.editPermission)
        let (model, service) = try await req.record(CatalogService<M>.self)
        let input = try Self.formInput(req)
        var failure: [String: String]
        do {
            try await service.update(model, with: input, clearing: [])
            return WebPage.redirect(req, to: section.path, flash: WebPage.text(req, "saved", ["name": model.name]))
        } catch let errors as FieldErrors {
            failure = errors.fields
        } catch is VersionConflict {
            failure = ["form": WebPage.text(req, "error_version_conflict")]
        }
        let fresh = try await service.find(model.requireID())
        let body = try await form(req, model: fresh, input: input, errors: FormErrors.localize(failure, req))
        return try await WebPage.render("catalog-form", titleKey: titleKey, page: body, for: req, status: .unprocessableEntity)
    }

    /// A cleared checkbox sends nothing: on a form that shows the flag, nothing means no.
    static func formInput(_ req: Request) throws -> CatalogInput {
        var input = try req.content.decode(CatalogInput.self)
        if M.hasUnsubscribable, input.unsubscribable == nil { input.unsubscribable = false }
        return input
    }
}
