import Fluent
import SdelkaCore
import Vapor

/// The signed-in user of a request, as a value: Fluent models stay inside the queries.
struct CurrentUser: Authenticatable, Sendable {
    var id: UUID
    var login: String
    var name: String
    var role: Role
    var language: Language
    var tokenID: UUID
    var tokenKind: UserToken.Kind

    init(id: UUID, login: String, name: String, role: Role, language: Language, tokenID: UUID, tokenKind: UserToken.Kind) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
        self.language = language
        self.tokenID = tokenID
        self.tokenKind = tokenKind
    }

    init(user: User, token: UserToken) throws {
        self.id = try user.requireID()
        self.login = user.login
        self.name = user.name
        self.role = user.role
        self.language = user.language
        self.tokenID = try token.requireID()
        self.tokenKind = token.kind
    }
}

extension Request {
    /// The signed-in user, or 401.
    var user: CurrentUser {
        get throws {
            guard let user = auth.get(CurrentUser.self) else { throw APIError.unauthorized }
            return user
        }
    }

    /// The signed-in user if their role grants `permission`; otherwise 403 (or 401).
    @discardableResult
    func require(_ permission: Permission) throws -> CurrentUser {
        let user = try self.user
        guard user.role.can(permission) else { throw APIError.forbidden }
        return user
    }

    /// The signed-in user's stored record (to check their password or change their profile).
    func storedUser() async throws -> User {
        guard let found = try await User.find(user.id, on: db) else { throw APIError.unauthorized }
        return found
    }

    /// A UUID path parameter; anything that is not a UUID cannot name an object, so 404.
    func idParameter(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError.notFound()
        }
        return id
    }
}
