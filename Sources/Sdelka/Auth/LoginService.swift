import Fluent
import SQLKit
import Vapor

/// Checks a login and password, with throttling: five failures for one login, or twenty from
/// one client address, within a minute lock it for a minute (429), whatever password comes
/// next. Each attempt is counted and recorded by one statement per key before the password is
/// compared, so a parallel burst cannot slip past the count while the hashes are compared; a
/// success takes its attempt back. The counts live in the database, so the rule holds across
/// any number of app servers.
enum LoginService {
    static let maxFailures = 5
    static let maxFailuresPerAddress = 20
    static let window: TimeInterval = 60
    /// Computed once, on first use: verifying against it costs as much as a real check.
    static let dummyHash: String = (try? Bcrypt.hash("sdelka-no-such-user")) ?? ""

    static func verify(login: String, password: String, on req: Request) async throws -> User {
        let key = User.key(for: login)
        let keys = [("login:" + key, maxFailures), ("address:" + req.clientAddress, maxFailuresPerAddress)]
        let now = Date()
        var allowed = true
        for (name, limit) in keys where try await count(name, now: now, on: req.db) > limit { allowed = false }
        guard allowed else { throw APIError.tooManyAttempts }
        let user = try await User.query(on: req.db)
            .filter(\.$loginKey == key)
            .filter(\.$active == true)
            .filter(\.$deletionMark == false)
            .first()
        // Hash even for an unknown login so that timing does not reveal which logins exist.
        let hash = user?.passwordHash ?? dummyHash
        let matches = (try? await req.password.async.verify(password, created: hash).get()) ?? false
        if let user, matches {
            try await req.db.sql.update("login_attempts")
                .set("failures", to: SQLBinaryExpression(SQLIdentifier("failures"), .subtract, SQLLiteral.numeric("1")))
                .where("key", .in, SQLBind.group(keys.map(\.0))).run()
            return user
        }
        // Counts of windows long closed go, as failures older than an hour always went: one row
        // per login and address tried would otherwise pile up under a guessing campaign.
        try await req.db.sql.delete(from: "login_attempts").where("window_start", .lessThan, SQLBind(now.addingTimeInterval(-3600))).run()
        throw APIError(status: .unauthorized, code: "invalid_credentials", message: "Wrong login or password.")
    }

    /// Counts one more attempt under `key` and answers the attempts of its current window
    /// (a minute from the first); an older window starts again at one.
    static func count(_ key: String, now: Date, on db: any Database) async throws -> Int {
        let since = now.addingTimeInterval(-window)
        return try await db.sql.raw("""
            INSERT INTO login_attempts (key, window_start, failures) VALUES (\(bind: key), \(bind: now), 1)
            ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN login_attempts.window_start < \(bind: since) THEN 1 ELSE login_attempts.failures + 1 END,
              window_start = CASE WHEN login_attempts.window_start < \(bind: since) THEN \(bind: now) ELSE login_attempts.window_start END
            RETURNING failures
            """).first()?.decode(column: "failures", as: Int.self) ?? 1
    }
}
