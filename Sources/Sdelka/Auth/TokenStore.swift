import Fluent
import SdelkaCore
import SQLKit
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

    /// One row of the token lookup: the token and its user, read in a single indexed query.
    private struct LiveToken: Decodable {
        var token_id: UUID
        var kind: String
        var expires_at: Date
        var last_used_at: Date?
        var user_id: UUID
        var login: String
        var name: String
        var role: String
        var language: String
    }

    /// The live token with this secret and its active user, or nil. Every authenticated
    /// request runs this, so it is plain SQL decoded into a struct: Fluent's model
    /// reflection cost more than the query itself.
    static func find(secret: String, on db: any Database) async throws -> CurrentUser? {
        let now = Date()
        let hash = UserToken.hash(secret)
        if let cached = TokenCache.shared.get(hash, now: now) { return cached }
        // Constant SQL text with bound values: SQLKit's builder spent more time quoting
        // identifiers than SQLite spent running the query.
        let query: SQLQueryString = """
            SELECT t.id AS token_id, t.kind, t.expires_at, t.last_used_at, u.id AS user_id, u.login, u.name, u.role, u.language
            FROM user_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: hash) AND t.expires_at > \(bind: now)
              AND t.revoked_at IS NULL AND u.active = \(bind: true) AND u.deletion_mark = \(bind: false)
            """
        guard let row = try await db.sql.raw(query).first(decoding: LiveToken.self),
            let kind = UserToken.Kind(rawValue: row.kind), let role = Role(rawValue: row.role)
        else { return nil }
        // Touch the usage time at most every ten minutes: a write per request would make
        // every read a write.
        if row.last_used_at.map({ now.timeIntervalSince($0) > 600 }) ?? true {
            try await UserToken.query(on: db).filter(\.$id == row.token_id)
                .set(\.$lastUsedAt, to: now).update()
        }
        let user = CurrentUser(id: row.user_id, login: row.login, name: row.name, role: role,
                               language: Language(rawValue: row.language) ?? .ru, tokenID: row.token_id, tokenKind: kind)
        TokenCache.shared.put(hash, user, tokenExpiresAt: row.expires_at, now: now)
        return user
    }

    static func revoke(_ tokenID: UUID, on db: any Database) async throws {
        try await UserToken.query(on: db).filter(\.$id == tokenID)
            .set(\.$revokedAt, to: Date()).update()
        TokenCache.shared.evict(tokenID: tokenID)
    }
}

/// `Authorization: Bearer <token>` for the API.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        // A calendar link's secret opens the calendar feed and nothing else.
        if let user = try await TokenStore.find(secret: bearer.token, on: request.db), user.tokenKind != .calendar {
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
