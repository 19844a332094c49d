import Fluent
import Vapor

/// Issues, finds and revokes bearer tokens. One query finds a token with its user, so an
/// authenticated request costs a single indexed lookup.
enum TokenStore {
    static func issue(for userID: UUID, kind: UserToken.Kind, name: String? = nil,
                      lifetime: TimeInterval, on db: any Database) async throws -> (secret: String, token: UserToken) {
        let (secret, hash) = UserToken.generate()
        let token = UserToken(userID: userID, kind: kind, name: name, tokenHash: hash,
                              expiresAt: Date().addingTimeInterval(lifetime))
        try await token.create(on: db)
        return (secret, token)
    }

    /// The live token with this secret and its active user, or nil.
    static func find(secret: String, on db: any Database) async throws -> CurrentUser? {
        let now = Date()
        guard let token = try await UserToken.query(on: db)
            .filter(\.$tokenHash == UserToken.hash(secret))
            .filter(\.$expiresAt > now)
            .filter(\.$revokedAt == nil)
            .join(User.self, on: \UserToken.$user.$id == \User.$id)
            .filter(User.self, \.$active == true)
            .filter(User.self, \.$deletionMark == false)
            .first()
        else { return nil }
        let user = try token.joined(User.self)
        // Touch the usage time at most every ten minutes: a write per request would make
        // every read a write.
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 600 }) ?? true {
            try await UserToken.query(on: db).filter(\.$id == token.requireID())
                .set(\.$lastUsedAt, to: now).update()
        }
        return try CurrentUser(user: user, token: token)
    }

    static func revoke(_ tokenID: UUID, on db: any Database) async throws {
        try await UserToken.query(on: db).filter(\.$id == tokenID)
            .set(\.$revokedAt, to: Date()).update()
    }
}

/// `Authorization: Bearer <token>` for the API.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        if let user = try await TokenStore.find(secret: bearer.token, on: request.db) {
            request.auth.login(user)
        }
    }
}

/// The web UI's session cookie carries a `web` token; the same table, the same expiry rules.
struct SessionCookieAuthenticator: AsyncRequestAuthenticator {
    static let cookieName = "sdelka_session"

    func authenticate(request: Request) async throws {
        guard let secret = request.cookies[Self.cookieName]?.string else { return }
        if let user = try await TokenStore.find(secret: secret, on: request.db), user.tokenKind == .web {
            request.auth.login(user)
        }
    }
}

/// Refuses a request without a signed-in user: 401 in the API.
struct RequireUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        _ = try request.user
        return try await next.respond(to: request)
    }
}
