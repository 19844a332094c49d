import Fluent
import Vapor

enum Bootstrap {
    /// First start with no users: create `admin` with `SDELKA_ADMIN_PASSWORD`, or with a
    /// generated password printed once.
    static func ensureAdmin(_ app: Application) async throws {
        guard try await User.query(on: app.db).count() == 0 else { return }
        let given = app.sdelka.adminPassword
        let password = given ?? Data([UInt8].random(count: 12)).base64URLEncoded()
        let service = UserService(db: app.db, author: .system,
                                  hasher: app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.any()))
        _ = try await service.create(UserInput(login: "admin", name: "Administrator", role: "admin",
                                               language: "ru", password: password))
        if given == nil {
            // Printed, not logged: it must reach the operator once and nowhere else.
            print("Created user 'admin' with password: \(password)  (shown once; change it after signing in)")
        } else {
            app.logger.notice("Created user 'admin' with the password from SDELKA_ADMIN_PASSWORD")
        }
    }
}
