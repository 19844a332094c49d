import Fluent
import Vapor

enum AuthController {
    struct LoginRequest: Content {
        var login: String
        var password: String
    }

    struct LoginResponse: Content {
        var token: String
        var expiresAt: Date
    }

    static func register(public routes: any RoutesBuilder, protected: any RoutesBuilder) {
        routes.post("auth", "login", use: login)
        protected.post("auth", "logout", use: logout)
    }

    @Sendable static func login(req: Request) async throws -> LoginResponse {
        let body = try req.content.decode(LoginRequest.self)
        let user = try await LoginService.verify(login: body.login, password: body.password, on: req)
        let (secret, token) = try await TokenStore.issue(
            for: user.requireID(), kind: .login, lifetime: req.application.sdelka.loginTokenLifetime, on: req.db)
        return LoginResponse(token: secret, expiresAt: token.expiresAt)
    }

    /// Revokes the token the request came with.
    @Sendable static func logout(req: Request) async throws -> HTTPStatus {
        try await TokenStore.revoke(req.user.tokenID, on: req.db)
        return .noContent
    }
}
