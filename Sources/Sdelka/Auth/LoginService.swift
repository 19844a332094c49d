import Fluent
import SQLKit
import Vapor

/// Checks a login and password, with throttling: five failures for one login, or twenty from
/// one client address, within a minute lock it for a minute (429), whatever password comes
/// next. Each attempt is counted and recorded in one statement before the password is
/// checked, so a parallel burst cannot slip past the count while the hashes are compared; a
/// success takes its record back. Attempts live in the database, so the rule holds across any
/// number of app servers.
enum LoginService {
    static let maxFailures = 5
    static let maxFailuresPerAddress = 20
    static let window: TimeInterval = 60
    /// Computed once, on first use: verifying against it costs as much as a real check.
    static let dummyHash: String = (try? Bcrypt.hash("sdelka-no-such-user")) ?? ""

    static func verify(login: String, password: String, on req: Request) async throws -> User {
        let key = User.key(for: login)
        guard let attempt = try await record(key: key, address: req.clientAddress, now: Date(), on: req.db) else {
            throw APIError.tooManyAttempts
        }
        let user = try await User.query(on: req.db)
            .filter(\.$loginKey == key)
            .filter(\.$active == true)
            .filter(\.$deletionMark == false)
            .first()
        // Hash even for an unknown login so that timing does not reveal which logins exist.
        let hash = user?.passwordHash ?? dummyHash
        let matches = (try? await req.password.async.verify(password, created: hash).get()) ?? false
        if let user, matches {
            try await LoginFailure.query(on: req.db).filter(\.$id == attempt).delete()
            return user
        }
        try await LoginFailure.query(on: req.db).filter(\.$at < Date().addingTimeInterval(-3600)).delete()
        throw APIError(status: .unauthorized, code: "invalid_credentials", message: "Wrong login or password.")
    }

    /// Records an attempt unless the login or the address already has its fill of recent ones;
    /// answers its id, or nil when throttled. On PostgreSQL a lock per login keeps two
    /// attempts from counting at once; SQLite runs one writer at a time anyway.
    static func record(key: String, address: String, now: Date, on db: any Database) async throws -> UUID? {
        let id = UUID(), since = now.addingTimeInterval(-window)
        return try await db.writeTransaction { tx in
            let sql = tx.sql
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "login:" + key)))").run()
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "address:" + address)))").run()
            }
            try await sql.raw("""
                INSERT INTO login_failures (id, login_key, at, client_address)
                SELECT \(bind: id), \(bind: key), \(bind: now), \(bind: address)
                WHERE (SELECT COUNT(*) FROM login_failures WHERE login_key = \(bind: key) AND at > \(bind: since)) < \(bind: maxFailures)
                  AND (SELECT COUNT(*) FROM login_failures WHERE client_address = \(bind: address) AND at > \(bind: since)) < \(bind: maxFailuresPerAddress)
                """).run()
            return try await LoginFailure.query(on: tx).filter(\.$id == id).count() > 0 ? id : nil
        }
    }
}
