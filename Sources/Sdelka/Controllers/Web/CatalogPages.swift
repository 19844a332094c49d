import Fluent
import SdelkaCore
import Vapor

/// List and form pages for a simple catalogue; the web twin of `CatalogController`.
struct CatalogPages<M: CatalogModel>: Sendable {
    let path: String
    let titleKey: String
    let editPermission: Permission

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
        var comment: String
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var errors: [String: String]
        var history: [AuditPages.Row]
    }

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(PathComponent(stringLiteral: path))
        group.get(use: list)
        group.get("new", use: new)
        group.post(use: create)
        group.get(":id", use: edit)
        group.post(":id", use: update)
        group.post(":id", "delete", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let pageRequest = try PageRequest(req)
        let includeDeleted = req.flag("includeDeleted")
        let query = CatalogController<M>.query(on: req.db, q: req.text("q"), includeDeleted: includeDeleted)
        let page = try await pageRequest.fetch(query) { try CatalogDTO($0) }
        let body = ListBody(base: "/" + path, items: page.items, total: page.total, q: req.text("q") ?? "",
                            includeDeleted: includeDeleted, canEdit: try req.user.role.can(editPermission),
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
            let others = try await CatalogController<M>.query(on: req.db, q: nil, includeDeleted: false).all()
                .filter { $0.id != model?.id }.map { (try $0.requireID(), $0.name) }
            parents = ReferenceNames.options(others, selected: input?.parentId ?? model?.parentID, blank: "—")
        }
        return FormBody(base: "/" + path, id: model?.id, name: input?.name ?? model?.name ?? "",
                        hasReverseName: M.hasReverseName, reverseName: input?.reverseName ?? model?.reverseName ?? "",
                        hasParent: M.hasParent, parents: parents,
                        comment: input?.comment ?? model?.comment ?? "", version: model?.version ?? 0,
                        deletionMark: model?.deletionMark ?? false, canEdit: try req.user.role.can(editPermission),
                        errors: errors, history: history)
    }

    @Sendable func new(req: Request) async throws -> Response {
        try req.require(editPermission)
        return try await WebPage.render("catalog-form", titleKey: titleKey, page: form(req, model: nil), for: req)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let model = try await CatalogController<M>.find(req.idParameter(), on: req.db)
        return try await WebPage.render("catalog-form", titleKey: titleKey, page: form(req, model: model), for: req)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.require(editPermission)
        let input = try req.content.decode(CatalogInput.self)
        var errors = input.validate(creating: true, for: M.self)
        errors.merge(try await input.checkParent(of: nil as M?, on: req.db))
        guard errors.isEmpty else {
            let body = try await form(req, model: nil, input: input, errors: FormErrors.localize(errors.fields, req))
            return try await WebPage.render("catalog-form", titleKey: titleKey, page: body, for: req, status: .unprocessableEntity)
        }
        let model = M()
        input.apply(to: model)
        try await CatalogController<M>.writer(req).create(model)
        return WebPage.redirect(req, to: "/\(path)", flash: WebPage.text(req, "created", ["name": model.name]))
    }

    @Sendable func update(req: Request) async throws -> Response {
        try req.require(editPermission)
        let model = try await CatalogController<M>.find(req.idParameter(), on: req.db)
        let input = try req.content.decode(CatalogInput.self)
        var checks = input.validate(creating: false, for: M.self)
        checks.merge(try await input.checkParent(of: model, on: req.db))
        var failure = checks.fields
        if failure.isEmpty {
            do {
                let before = try CatalogDTO(model)
                input.apply(to: model)
                try await CatalogController<M>.writer(req).update(model, before: before, expectedVersion: input.version)
                return WebPage.redirect(req, to: "/\(path)", flash: WebPage.text(req, "saved", ["name": model.name]))
            } catch is VersionConflict {
                failure = ["form": WebPage.text(req, "error_version_conflict")]
            }
        }
        let fresh = try await CatalogController<M>.find(req.idParameter(), on: req.db)
        let body = try await form(req, model: fresh, input: input, errors: FormErrors.localize(failure, req))
        return try await WebPage.render("catalog-form", titleKey: titleKey, page: body, for: req, status: .unprocessableEntity)
    }

    @Sendable func markDeleted(req: Request) async throws -> Response {
        let dto = try await CatalogController<M>(path: .constant(path), editPermission: editPermission).markDeleted(req: req)
        return WebPage.markedDeleted(req, to: "/\(path)/\(dto.id)", name: dto.name)
    }

    @Sendable func restore(req: Request) async throws -> Response {
        let dto = try await CatalogController<M>(path: .constant(path), editPermission: editPermission).restore(req: req)
        return WebPage.restored(req, to: "/\(path)/\(dto.id)", name: dto.name)
    }
}
