import Crypto
import Vapor

/// CSRF protection for every form. Signed-in forms carry an HMAC of the session token (no
/// server state needed); the login form, before any session exists, uses a double-submit
/// cookie.
enum CSRF {
    static let field = "_csrf"
    static let cookie = "sdelka_csrf"

    static func token(forSession secret: String, key: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(mac).base64URLEncoded()
    }

    static func sessionToken(_ req: Request) -> String? {
        guard let session = req.cookies[SessionCookieAuthenticator.cookieName]?.string else { return nil }
        return token(forSession: session, key: req.application.sdelka.secret)
    }

    /// Constant-time comparison, so the check does not leak how much of a guess was right.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Refuses any state-changing web request whose form does not carry the right CSRF token.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method != .GET && request.method != .HEAD {
            let sent = (try? request.content.get(String.self, at: CSRF.field)) ?? ""
            guard let expected = CSRF.sessionToken(request), CSRF.same(sent, expected) else {
                throw APIError(status: .forbidden, code: "csrf_failed",
                               message: "The form has expired. Reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }
}

/// Sends a visitor without a session to the login page, remembering where they were going.
struct WebAuthRedirect: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(CurrentUser.self) else {
            let target = request.url.path == "/" ? Site.login.path : Site.login.path + "?next=" + (request.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/")
            return request.redirect(to: target)
        }
        return try await next.respond(to: request)
    }
}
