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
        var phone: String?
        var language: String?
        var password: String?
        var currentPassword: String?
        var version: Int?
    }

    struct TokenInput: Content {
        var name: String?
        var expiresInDays: Int?
    }

    @Sendable static func show(req: Request) async throws -> UserDTO {
        guard let user = try await UserReads.one(req.user.id, on: req.db) else { throw APIError.unauthorized }
        return user
    }

    /// Anyone, viewers included, may change their own name, e-mail, phone, language and password;
    /// role, login, groups and activity stay with admins.
    @Sendable static func update(req: Request) async throws -> UserDTO {
        let user = try await req.storedUser()
        let input = try req.content.decode(ProfileInput.self)
        if input.password != nil {
            let current = input.currentPassword ?? ""
            let ok = try await req.password.async.verify(current, created: user.passwordHash).get()
            if !ok { throw APIError.validation("currentPassword", "is not your current password") }
        }
        let change = UserInput(name: input.name, email: input.email, phone: input.phone, language: input.language,
                               password: input.password, version: input.version)
        try await UserService(db: req.db, author: ChangeAuthor(req.user), hasher: req.password.async)
            .update(user, with: change, keepingToken: req.user.tokenID)
        return try await UserReads.dtos([user], on: req.db)[0]
    }

    @Sendable static func tokens(req: Request) async throws -> PageDTO<ApiTokenDTO> {
        try await PageRequest(req).fetch(ApiTokens.query(req.user.id, on: req.db)) { try ApiTokenDTO($0) }
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
        let (secret, token) = try await ApiTokens(user: user, db: req.db).issue(name: name, days: days)
        return try await ApiTokenDTO(token, secret: secret).encodeResponse(status: .created, for: req)
    }

    @Sendable static func revokeToken(req: Request) async throws -> ApiTokenDTO {
        try await ApiTokens(user: req.user, db: req.db).revoke(req.idParameter())
    }
}
