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
        let t = SQLIdentifier("t"), u = SQLIdentifier("u")
        func col(_ table: SQLIdentifier, _ name: String) -> SQLColumn { SQLColumn(SQLIdentifier(name), table: table) }
        guard let row = try await db.sql.select()
            .column(SQLAlias(col(t, "id"), as: SQLIdentifier("token_id")))
            .column(col(t, "kind")).column(col(t, "last_used_at"))
            .column(SQLAlias(col(u, "id"), as: SQLIdentifier("user_id")))
            .column(col(u, "login")).column(col(u, "name")).column(col(u, "role")).column(col(u, "language"))
            .from(SQLAlias(SQLIdentifier(UserToken.schema), as: t))
            .join(SQLAlias(SQLIdentifier(User.schema), as: u), on: col(u, "id"), .equal, col(t, "user_id"))
            .where(col(t, "token_hash"), .equal, SQLBind(UserToken.hash(secret)))
            .where(col(t, "expires_at"), .greaterThan, SQLBind(now))
            .where(col(t, "revoked_at"), .is, SQLLiteral.null)
            .where(col(u, "active"), .equal, SQLLiteral.boolean(true))
            .where(col(u, "deletion_mark"), .equal, SQLLiteral.boolean(false))
            .first(decoding: LiveToken.self),
            let kind = UserToken.Kind(rawValue: row.kind), let role = Role(rawValue: row.role)
        else { return nil }
        // Touch the usage time at most every ten minutes: a write per request would make
        // every read a write.
        if row.last_used_at.map({ now.timeIntervalSince($0) > 600 }) ?? true {
            try await UserToken.query(on: db).filter(\.$id == row.token_id)
                .set(\.$lastUsedAt, to: now).update()
        }
        return CurrentUser(id: row.user_id, login: row.login, name: row.name, role: role,
                           language: Language(rawValue: row.language) ?? .ru, tokenID: row.token_id, tokenKind: kind)
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
