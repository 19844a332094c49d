import Fluent
import SdelkaCore
import Vapor

enum LoginPages {
    struct Body: Encodable, Sendable {
        var login: String
        var next: String
        var error: String?
    }

    struct Form: Content {
        var login: String?
        var password: String?
        var next: String?
        var _csrf: String?
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.login.component, use: show)
        routes.post(Site.login.component, use: submit)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        if req.auth.has(CurrentUser.self) { return req.redirect(to: "/") }
        return try await page(req, body: Body(login: "", next: safeNext(req.query[String.self, at: "next"]), error: nil))
    }

    /// The double-submit cookie: a fresh random value in a cookie and in the form.
    static func page(_ req: Request, body: Body, status: HTTPStatus = .ok) async throws -> Response {
        let token = Data([UInt8].random(count: 24)).base64URLEncoded()
        req.cookies[CSRF.cookie] = .init(string: token)
        let response = try await WebPage.render("login", titleKey: "login_title", page: body, for: req, status: status)
        response.cookies[CSRF.cookie] = HTTPCookies.Value(string: token, maxAge: 3600, path: Site.login.path,
                                                          isSecure: req.cameOverTLS, isHTTPOnly: true, sameSite: .strict)
        return response
    }

    @Sendable static func submit(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        guard let cookie = req.cookies[CSRF.cookie]?.string, CSRF.same(form._csrf ?? "", cookie) else {
            throw APIError(status: .forbidden, code: "csrf_failed", message: "The form has expired.")
        }
        let next = safeNext(form.next)
        do {
            let user = try await LoginService.verify(login: form.login ?? "", password: form.password ?? "", on: req)
            let lifetime = req.application.sdelka.webSessionLifetime
            let (secret, _) = try await TokenStore.issue(for: user.requireID(), kind: .web, lifetime: lifetime, on: req.db)
            let response = req.redirect(to: next)
            response.cookies[SessionCookieAuthenticator.cookieName] = HTTPCookies.Value(
                string: secret, maxAge: Int(lifetime), path: "/", isSecure: req.cameOverTLS,
                isHTTPOnly: true, sameSite: .lax)
            response.cookies[CSRF.cookie] = .expired
            return response
        } catch let error as APIError where error.status == .unauthorized || error.status == .tooManyRequests {
            let message = WebPage.text(req, error.status == .tooManyRequests ? "login_throttled" : "login_failed")
            return try await page(req, body: Body(login: form.login ?? "", next: next, error: message), status: error.status)
        }
    }

    @Sendable static func logout(req: Request) async throws -> Response {
        try await TokenStore.revoke(req.user.tokenID, on: req.db)
        let response = req.redirect(to: Site.login.path)
        response.cookies[SessionCookieAuthenticator.cookieName] = .expired
        return response
    }

    /// Only a local path: an open redirect to another site would help phishing.
    static func safeNext(_ next: String?) -> String {
        LocalPath.checked(next) ?? "/"
    }
}
