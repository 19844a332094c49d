import Fluent
import SdelkaCore
import Vapor

/// Users list and form, for admins.
enum UserPages {
    struct Row: Encodable, Sendable {
        var id: UUID
        var name: String
        var login: String
        var roleLabel: String
        var email: String
        var active: Bool
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var total: Int
        var q: String
        var includeDeleted: Bool
        var pager: Pager
    }

    struct FormBody: Encodable, Sendable {
        var id: UUID?
        var login: String
        var name: String
        var email: String
        var phone: String
        var role: String
        var language: String
        var active: Bool
        var deletionMark: Bool
        var version: Int
        var groups: [GroupOption]
        var roles: [Option]
        var errors: [String: String]
        var history: [AuditPages.Row]
    }

    struct GroupOption: Encodable, Sendable { var id: UUID; var name: String; var checked: Bool }
    struct Option: Encodable, Sendable { var value: String; var label: String; var selected: Bool }

    struct Form: Content {
        var login: String?
        var name: String?
        var email: String?
        var phone: String?
        var role: String?
        var language: String?
        var password: String?
        var active: String?
        var accessGroupIds: [UUID]?
        var version: Int?
    }

    static func register(on routes: any RoutesBuilder) {
        let users = routes.grouped(Site.users.component)
        users.get(use: list)
        users.get(SitePage.new.component, use: new)
        users.post(use: create)
        users.get(":id", use: edit)
        users.post(":id", use: update)
        users.post(":id", SiteAction.delete.component, use: markDeleted)
        users.post(":id", SiteAction.restore.component, use: restore)
    }

    @Sendable static func list(req: Request) async throws -> Response {
        try req.require(.manageUsers)
        let pageRequest = try PageRequest(req)
        let filter = UserReads.Filter(q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        let query = UserReads.query(on: req.db, filter)
        let (total, users) = try await pageRequest.rows(query)
        let strings = req.application.localizer.strings(WebPage.language(req))
        let rows = users.compactMap { user in
            user.id.map { Row(id: $0, name: user.name, login: user.login, roleLabel: strings["role_\(user.role.rawValue)"] ?? user.role.rawValue,
                              email: user.email ?? "", active: user.active, deletionMark: user.deletionMark) }
        }
        let body = ListBody(items: rows, total: total,
                            q: filter.q ?? "", includeDeleted: filter.includeDeleted,
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("users", titleKey: "nav_users", page: body, for: req)
    }

    static func formBody(_ req: Request, user: User?, form: Form? = nil, errors: [String: String] = [:]) async throws -> FormBody {
        let strings = req.application.localizer.strings(WebPage.language(req))
        var dto: UserDTO?
        var history: [AuditPages.Row] = []
        if let user {
            dto = try await UserReads.dtos([user], on: req.db)[0]
            history = try await AuditPages.history(of: User.objectType, id: user.requireID(), req: req)
        }
        let chosen = Set(form?.accessGroupIds ?? dto?.accessGroupIds ?? [])
        let groups = try await AccessGroup.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        let role = form?.role ?? dto?.role.rawValue ?? Role.manager.rawValue
        return FormBody(
            id: dto?.id, login: form?.login ?? dto?.login ?? "", name: form?.name ?? dto?.name ?? "",
            email: form?.email ?? dto?.email ?? "", phone: form?.phone ?? dto?.phone ?? "", role: role, language: form?.language ?? dto?.language ?? "ru",
            active: form.map { $0.active != nil } ?? dto?.active ?? true, deletionMark: dto?.deletionMark ?? false,
            version: dto?.version ?? 0,
            groups: try groups.map { GroupOption(id: try $0.requireID(), name: $0.name, checked: chosen.contains(try $0.requireID())) },
            roles: Role.allCases.map { Option(value: $0.rawValue, label: strings["role_\($0.rawValue)"] ?? $0.rawValue, selected: $0.rawValue == role) },
            errors: errors, history: history)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.require(.manageUsers)
        return try await WebPage.render("user-form", titleKey: "user_new", page: formBody(req, user: nil), for: req)
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.require(.manageUsers)
        let user = try await UserReads.find(req.idParameter(), on: req.db)
        return try await WebPage.render("user-form", titleKey: "user_edit", page: formBody(req, user: user), for: req)
    }

    static func input(_ form: Form, creating: Bool) -> UserInput {
        UserInput(login: form.login, name: form.name, email: form.email, phone: form.phone, role: form.role, language: form.language,
                  password: (form.password ?? "").isEmpty ? (creating ? form.password : nil) : form.password,
                  accessGroupIds: form.accessGroupIds ?? [], active: form.active != nil,
                  version: creating ? nil : form.version)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let admin = try req.require(.manageUsers)
        let form = try req.content.decode(Form.self)
        do {
            let user = try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
                .create(input(form, creating: true))
            return WebPage.redirect(req, to: Site.users.path(try user.requireID()),
                                    flash: WebPage.text(req, "user_created", ["login": user.login]))
        } catch {
            guard let failure = APIError(answering: error), failure.fields != nil else { throw error }
            let body = try await formBody(req, user: nil, form: form, errors: FormErrors.localize(failure.fields ?? [:], req))
            return try await WebPage.render("user-form", titleKey: "user_new", page: body, for: req, status: .unprocessableEntity)
        }
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let admin = try req.require(.manageUsers)
        let user = try await UserReads.find(req.idParameter(), on: req.db)
        let form = try req.content.decode(Form.self)
        do {
            try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
                .update(user, with: input(form, creating: false))
            return WebPage.redirect(req, to: Site.users.path(try user.requireID()),
                                    flash: WebPage.text(req, "user_saved", ["login": user.login]))
        } catch {
            guard let failure = APIError(answering: error), failure.fields != nil || failure.status == .conflict else { throw error }
            let fields = failure.fields ?? ["form": failure.message]
            let fresh = try await UserReads.find(user.requireID(), on: req.db)
            let body = try await formBody(req, user: fresh, form: form, errors: FormErrors.localize(fields, req))
            return try await WebPage.render("user-form", titleKey: "user_edit", page: body, for: req,
                                            status: failure.status)
        }
    }

    @Sendable static func markDeleted(req: Request) async throws -> Response {
        let user = try await setMark(req, true)
        return WebPage.markedDeleted(req, to: Site.users.path(user.id), name: user.login)
    }

    @Sendable static func restore(req: Request) async throws -> Response {
        let user = try await setMark(req, false)
        return WebPage.restored(req, to: Site.users.path(user.id), name: user.login)
    }

    static func setMark(_ req: Request, _ mark: Bool) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        return try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .setDeletionMark(of: req.idParameter(), to: mark, expectedVersion: mark ? req.query[Int.self, at: "version"] : nil)
    }
}
