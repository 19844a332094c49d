import Fluent
import SdelkaCore
import Vapor

/// The signed-in user's own profile and named API tokens.
enum MeController {
    static func register(on routes: any RoutesBuilder) {
        let me = routes.grouped("me")
        me.get(use: show)
        me.patch(use: update)
        me.get("tokens", use: tokens)
        me.post("tokens", use: createToken)
        me.delete("tokens", ":id", use: revokeToken)
    }

    struct ProfileInput: Content {
        var name: String?
        var email: String?
        var language: String?
        var password: String?
        var currentPassword: String?
        var version: Int?
    }

    struct TokenDTO: Content {
        var id: UUID
        var name: String?
        var kind: String
        var createdAt: Date?
        var expiresAt: Date
        var lastUsedAt: Date?
        var revoked: Bool
        /// The secret, present only in the answer to the request that created the token.
        var token: String?

        init(_ token: UserToken, secret: String? = nil) throws {
            self.id = try token.requireID()
            self.name = token.name
            self.kind = token.kind.rawValue
            self.createdAt = token.createdAt
            self.expiresAt = token.expiresAt
            self.lastUsedAt = token.lastUsedAt
            self.revoked = token.revokedAt != nil
            self.token = secret
        }
    }

    struct TokenInput: Content {
        var name: String?
        var expiresInDays: Int?
    }

    static func currentUser(_ req: Request) async throws -> User {
        guard let user = try await User.find(req.user.id, on: req.db) else { throw APIError.unauthorized }
        return user
    }

    @Sendable static func show(req: Request) async throws -> UserDTO {
        guard let user = try await UserReads.one(req.user.id, on: req.db) else { throw APIError.unauthorized }
        return user
    }

    /// Anyone, viewers included, may change their own name, e-mail, language and password;
    /// role, login, groups and activity stay with admins.
    @Sendable static func update(req: Request) async throws -> UserDTO {
        let user = try await currentUser(req)
        let input = try req.content.decode(ProfileInput.self)
        if input.password != nil {
            let current = input.currentPassword ?? ""
            let ok = try await req.password.async.verify(current, created: user.passwordHash).get()
            if !ok { throw APIError.validation("currentPassword", "is not your current password") }
        }
        let change = UserInput(name: input.name, email: input.email, language: input.language,
                               password: input.password, version: input.version)
        try await UserService(db: req.db, author: ChangeAuthor(req.user), hasher: req.password.async)
            .update(user, with: change, keepingToken: req.user.tokenID)
        return try await UsersController.dtos([user], on: req.db)[0]
    }

    static func tokenQuery(_ userID: UUID, on db: any Database) -> QueryBuilder<UserToken> {
        UserToken.query(on: db)
            .filter(\.$user.$id == userID)
            .filter(\.$kind == .api)
            .sort(\.$createdAt, .descending)
    }

    @Sendable static func tokens(req: Request) async throws -> PageDTO<TokenDTO> {
        try await PageRequest(req).fetch(tokenQuery(req.user.id, on: req.db)) { try TokenDTO($0) }
    }

    @Sendable static func createToken(req: Request) async throws -> Response {
        let user = try req.user
        let input = try req.content.decode(TokenInput.self)
        let maxDays = req.application.sdelka.apiTokenMaxLifetimeDays
        var errors = FieldErrors()
        let name = input.name?.trimmingCharacters(in: .whitespaces) ?? ""
        if name.isEmpty { errors.add("name", "is required") }
        let days = input.expiresInDays ?? 90
        if !(1...maxDays).contains(days) { errors.add("expiresInDays", "must be between 1 and \(maxDays)") }
        try errors.check()
        let (secret, token) = try await issueNamedToken(name: name, days: days, for: user, on: req.db)
        return try await TokenDTO(token, secret: secret).encodeResponse(status: .created, for: req)
    }

    /// A named API token, recorded in the audit log; the API and the profile page both use it.
    static func issueNamedToken(name: String, days: Int, for user: CurrentUser,
                                on db: any Database) async throws -> (secret: String, token: UserToken) {
        let (secret, token) = try await TokenStore.issue(
            for: user.id, kind: .api, name: name, lifetime: TimeInterval(days) * 86_400, on: db)
        try await Audit.record(.create, objectType: "apiToken", objectID: token.requireID().uuidString,
                               before: nil as TokenDTO?, after: TokenDTO(token), by: ChangeAuthor(user), on: db)
        return (secret, token)
    }

    @Sendable static func revokeToken(req: Request) async throws -> TokenDTO {
        let user = try req.user
        guard let token = try await tokenQuery(user.id, on: req.db).filter(\.$id == req.idParameter()).first() else {
            throw APIError.notFound("token")
        }
        let before = try TokenDTO(token)
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await token.update(on: req.db)
            TokenCache.shared.evict(tokenID: try token.requireID())
            try await Audit.record(.update, objectType: "apiToken", objectID: token.requireID().uuidString,
                                   before: before, after: TokenDTO(token), by: ChangeAuthor(user), on: req.db)
        }
        return try TokenDTO(token)
    }
}
