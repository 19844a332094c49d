import Fluent
import SdelkaCore
import Vapor

/// The user's own profile: name, e-mail, language, password, and named API tokens.
enum ProfilePages {
    struct Body: Encodable, Sendable {
        var name: String
        var email: String
        var phone: String
        var language: String
        var version: Int
        var errors: [String: String]
        var newToken: String?
        var tokens: [TokenRow]
    }

    struct TokenRow: Encodable, Sendable {
        var id: UUID
        var name: String
        var expires: String
        var revoked: Bool
    }

    struct Form: Content {
        var name: String?
        var email: String?
        var phone: String?
        var language: String?
        var currentPassword: String?
        var password: String?
        var version: Int?
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.profile.component, use: show)
        routes.post(Site.profile.component, use: save)
        routes.post(Site.profile.component, SitePage.tokens.component, use: createToken)
        routes.post(Site.profile.component, SitePage.tokens.component, ":id", SiteAction.revoke.component, use: revokeToken)
        routes.post(Site.profile.component, SitePage.calendarLink.component, use: createCalendarLink)
    }

    static func body(_ req: Request, user: User, errors: [String: String] = [:], newToken: String? = nil) async throws -> Body {
        let tokens = try await ApiTokens.query(user.requireID(), on: req.db).limit(50).all()
        return Body(name: user.name, email: user.email ?? "", phone: user.phone ?? "", language: user.language.rawValue, version: user.version,
                    errors: errors, newToken: newToken,
                    tokens: try tokens.map { TokenRow(id: try $0.requireID(), name: $0.name ?? "",
                                                      expires: RussianFormat.date($0.expiresAt, zone: req.application.sdelka.timeZone),
                                                      revoked: $0.revokedAt != nil) })
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try await req.storedUser()
        return try await WebPage.render("profile", titleKey: "profile_title", page: body(req, user: user), for: req)
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let user = try await req.storedUser()
        do {
            let password = (form.password ?? "").isEmpty ? nil : form.password
            if password != nil {
                let ok = try await req.password.async.verify(form.currentPassword ?? "", created: user.passwordHash).get()
                if !ok { throw APIError.validation("currentPassword", "is not your current password") }
            }
            try await UserService(db: req.db, author: ChangeAuthor(req.user), hasher: req.password.async)
                .update(user, with: UserInput(name: form.name, email: form.email, phone: form.phone, language: form.language,
                                              password: password, version: form.version),
                        keepingToken: req.user.tokenID)
        } catch {
            guard let failure = APIError(answering: error), failure.fields != nil else { throw error }
            var page = try await body(req, user: user, errors: FormErrors.localize(failure.fields ?? [:], req))
            page.name = form.name ?? page.name
            page.email = form.email ?? page.email
            page.phone = form.phone ?? page.phone
            return try await WebPage.render("profile", titleKey: "profile_title", page: page, for: req, status: .unprocessableEntity)
        }
        let response = WebPage.redirect(req, to: Site.profile.path, flash: WebPage.text(req, "profile_saved"))
        return response
    }

    @Sendable static func createToken(req: Request) async throws -> Response {
        struct TokenForm: Content { var name: String?; var expiresInDays: Int? }
        let form = try req.content.decode(TokenForm.self)
        let user = try await req.storedUser()
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            let page = try await body(req, user: user, errors: ["tokenName": WebPage.text(req, "field_required")])
            return try await WebPage.render("profile", titleKey: "profile_title", page: page, for: req, status: .unprocessableEntity)
        }
        let days = min(max(form.expiresInDays ?? 90, 1), req.application.sdelka.apiTokenMaxLifetimeDays)
        let (secret, _) = try await ApiTokens(user: req.user, db: req.db).issue(name: name, days: days)
        // The secret is shown on this one page and never again.
        return try await WebPage.render("profile", titleKey: "profile_title",
                                        page: body(req, user: user, newToken: secret), for: req)
    }

    /// A new calendar link, shown once in full (with this server's address) as the new token is.
    @Sendable static func createCalendarLink(req: Request) async throws -> Response {
        let user = try await req.storedUser()
        let path = try await ApiTokens(user: req.user, db: req.db).newCalendarLink()
        let host = req.headers.first(name: .host) ?? "127.0.0.1"
        let scheme = req.headers.first(name: "X-Forwarded-Proto") ?? "http"
        return try await WebPage.render("profile", titleKey: "profile_title", page: body(req, user: user, newToken: "\(scheme)://\(host)\(path)"), for: req)
    }

    @Sendable static func revokeToken(req: Request) async throws -> Response {
        _ = try await ApiTokens(user: req.user, db: req.db).revoke(req.idParameter())
        return WebPage.redirect(req, to: Site.profile.path, flash: WebPage.text(req, "token_revoked"))
    }
}

/// Field errors in the user's language: API reasons are English sentences; the UI shows a
/// translation where one exists.
enum FormErrors {
    /// API reasons in the user's language: an exact `reason_…` key; else the same words with
    /// each number as `n` and the numbers put back into `{1}`, `{2}`; else a known prefix
    /// before ": " followed by the detail as it was.
    static func localize(_ fields: [String: String], _ req: Request) -> [String: String] {
        let strings = req.application.localizer.strings(WebPage.language(req))
        return fields.mapValues { localize($0, strings) }
    }

    /// Field errors as one flash line, for actions that redirect instead of re-rendering a form.
    static func flash(_ fields: [String: String], _ req: Request) -> String {
        localize(fields, req).values.sorted().joined(separator: "; ")
    }

    static func localize(_ reason: String, _ strings: [String: String]) -> String {
        if let exact = strings[key(reason)] { return exact }
        let numbers = reason.split(whereSeparator: { !$0.isNumber }).map(String.init)
        if !numbers.isEmpty {
            var generic = "", inNumber = false
            for character in reason {
                if character.isNumber { if !inNumber { generic.append("n") }; inNumber = true } else { generic.append(character); inNumber = false }
            }
            if var template = strings[key(generic)] {
                for (index, number) in numbers.enumerated() { template = template.replacingOccurrences(of: "{\(index + 1)}", with: number) }
                return template
            }
        }
        if let colon = reason.range(of: ": ", options: .backwards), let prefix = strings[key(String(reason[..<colon.lowerBound]))] {
            return prefix + ": " + reason[colon.upperBound...]
        }
        return reason
    }

    private static func key(_ reason: String) -> String {
        "reason_" + reason.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }
}
