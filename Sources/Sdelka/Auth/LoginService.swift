import Fluent
import Vapor

/// Checks a login and password, with throttling: five failures for one login within a minute
/// lock that login for a minute (429), whatever password comes next. Failures live in the
/// database, so the rule holds across any number of app servers.
enum LoginService {
    static let maxFailures = 5
    static let window: TimeInterval = 60
    /// Computed once, on first use: verifying against it costs as much as a real check.
    static let dummyHash: String = (try? Bcrypt.hash("sdelka-no-such-user")) ?? ""

    static func verify(login: String, password: String, on req: Request) async throws -> User {
        let key = User.key(for: login)
        let now = Date()
        let recentFailures = try await LoginFailure.query(on: req.db)
            .filter(\.$loginKey == key)
            .filter(\.$at > now.addingTimeInterval(-window))
            .count()
        if recentFailures >= maxFailures { throw APIError.tooManyAttempts }

        let user = try await User.query(on: req.db)
            .filter(\.$loginKey == key)
            .filter(\.$active == true)
            .filter(\.$deletionMark == false)
            .first()
        // Hash even for an unknown login so that timing does not reveal which logins exist.
        let hash = user?.passwordHash ?? dummyHash
        let matches = (try? await req.password.async.verify(password, created: hash).get()) ?? false
        if let user, matches {
            return user
        }
        try await LoginFailure(loginKey: key, at: now).create(on: req.db)
        try await LoginFailure.query(on: req.db).filter(\.$at < now.addingTimeInterval(-3600)).delete()
        throw APIError(status: .unauthorized, code: "invalid_credentials", message: "Wrong login or password.")
    }
}
