import SQLKit
import Fluent
import Testing
import Vapor
@testable import Sdelka

@Suite struct AuthTests {
    /// No sleeping: a token issued already expired is refused, and the remembered verification
    /// of a live token ends with the token (`TokenCache` is given the time).
    @Test(arguments: TestDB.all)
    func anExpiredTokenIsRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let adminUser = try #require(try await User.query(on: app.db).filter(\.$login == "admin").first())
            let (live, _) = try await TokenStore.issue(for: adminUser.requireID(), kind: .login, lifetime: 3600, on: app.db)
            #expect(try await API(app: app, token: live).get("/api/v1/me").status == .ok)
            let (expired, _) = try await TokenStore.issue(for: adminUser.requireID(), kind: .login, lifetime: -1, on: app.db)
            let reply = try await API(app: app, token: expired).get("/api/v1/me")
            #expect(reply.status == .unauthorized)
            #expect(reply.errorCode == "unauthorized")
        }
    }

    @Test func aRememberedTokenIsForgottenWhenItExpires() {
        let cache = TokenCache()
        let user = CurrentUser(id: UUID(), login: "admin", name: "Admin", role: .admin, language: .ru, tokenID: UUID(), tokenKind: .login)
        let now = Date()
        cache.put("hash", user, tokenExpiresAt: now.addingTimeInterval(1), now: now)
        #expect(cache.get("hash", now: now.addingTimeInterval(0.9))?.id == user.id)
        #expect(cache.get("hash", now: now.addingTimeInterval(1)) == nil, "the token expired after a second")
        cache.put("hash", user, tokenExpiresAt: now.addingTimeInterval(3600), now: now)
        #expect(cache.get("hash", now: now.addingTimeInterval(TokenCache.lifetime)) == nil, "remembered for a few seconds only")
    }

    @Test(arguments: TestDB.all)
    func loginTokenCarriesItsExpiry(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let reply = try await API(app: app).post("/api/v1/auth/login", ["login": "ADMIN", "password": adminPassword])
            #expect(reply.status == .ok, "logins match without regard to case")
            struct Login: Decodable { var token: String; var expiresAt: Date }
            let login = try reply.decode(Login.self)
            let hours = login.expiresAt.timeIntervalSinceNow / 3600
            #expect(hours > 11.9 && hours <= 12)
            #expect(login.token.hasPrefix("sdk_"))
        }
    }

    @Test(arguments: TestDB.all)
    func fiveFailuresLockTheLoginForAMinute(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let anonymous = API(app: app)
            for attempt in 1...5 {
                let reply = try await anonymous.post("/api/v1/auth/login", ["login": "admin", "password": "wrong-\(attempt)"])
                #expect(reply.status == .unauthorized)
                #expect(reply.errorCode == "invalid_credentials")
            }
            let locked = try await anonymous.post("/api/v1/auth/login", ["login": "admin", "password": adminPassword])
            #expect(locked.status == .tooManyRequests, "even the right password waits")
            #expect(locked.errorCode == "too_many_attempts")

            let other = try await anonymous.post("/api/v1/auth/login", ["login": "someone", "password": "x"])
            #expect(other.status == .unauthorized, "other logins are not locked")

            // A minute later the failures have aged out.
            try await app.db.sql.update("login_attempts").set("window_start", to: SQLBind(Date().addingTimeInterval(-61))).run()
            let later = try await anonymous.post("/api/v1/auth/login", ["login": "admin", "password": adminPassword])
            #expect(later.status == .ok)
        }
    }

    @Test(arguments: TestDB.all)
    func aParallelBurstOfGuessesGetsNoMoreThanFiveTries(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let anonymous = API(app: app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for attempt in 0..<30 {
                    group.addTask { try await anonymous.post("/api/v1/auth/login", ["login": "admin", "password": "guess-\(attempt)"]).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5, "only five passwords were compared: \(statuses.map(\.code))")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 25)
        }
    }

    @Test(arguments: TestDB.all)
    func oneAddressTryingManyLoginsIsStoppedToo(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let anonymous = API(app: app)
            for attempt in 0..<20 {
                let reply = try await anonymous.post("/api/v1/auth/login", ["login": "user\(attempt)", "password": "x"])
                #expect(reply.status == .unauthorized)
            }
            let next = try await anonymous.post("/api/v1/auth/login", ["login": "admin", "password": adminPassword])
            #expect(next.status == .tooManyRequests, "the twenty-first attempt from the address within a minute waits")
            try await app.db.sql.update("login_attempts").set("window_start", to: SQLBind(Date().addingTimeInterval(-61))).run()
            #expect(try await anonymous.post("/api/v1/auth/login", ["login": "admin", "password": adminPassword]).status == .ok)
            // A failure sweeps the counts of windows closed over an hour ago.
            try await app.db.sql.update("login_attempts").set("window_start", to: SQLBind(Date().addingTimeInterval(-3601))).run()
            #expect(try await anonymous.post("/api/v1/auth/login", ["login": "nobody", "password": "x"]).status == .unauthorized)
            struct Row: Decodable { var key: String }
            #expect(try await app.db.sql.raw("SELECT key FROM login_attempts").all(decoding: Row.self).map(\.key).sorted()
                    == ["address:unknown", "login:nobody"], "only the attempt just made is left")
        }
    }

    @Test(arguments: TestDB.all)
    func namedAPITokensCanBeCreatedUsedAndRevoked(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let created = try await admin.post("/api/v1/me/tokens", ["name": "1C exchange", "expiresInDays": 30])
            #expect(created.status == .created)
            let body = try created.json()
            let secret = try #require(body["token"] as? String)
            let tokenID = try #require(body["id"] as? String)

            let robot = API(app: app, token: secret)
            #expect(try await robot.get("/api/v1/users").status == .ok)

            let listed = try await admin.get("/api/v1/me/tokens").json()["items"] as? [[String: Any]]
            #expect(listed?.first?["name"] as? String == "1C exchange")
            #expect(listed?.first?["token"] == nil, "the secret is shown only once")

            #expect(try await admin.delete("/api/v1/me/tokens/\(tokenID)").status == .ok)
            #expect(try await robot.get("/api/v1/users").status == .unauthorized)

            let tooLong = try await admin.post("/api/v1/me/tokens", ["name": "forever", "expiresInDays": 5000])
            #expect(tooLong.errorFields["expiresInDays"] == "must be between 1 and 366")
        }
    }

    @Test(arguments: TestDB.all)
    func logoutRevokesTheToken(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            #expect(try await admin.post("/api/v1/auth/logout").status == .noContent)
            #expect(try await admin.get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test(arguments: TestDB.all)
    func changingOwnPasswordNeedsTheCurrentOne(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (manager, _) = try await admin.createUser("ivan", role: "manager")
            let wrong = try await manager.patch("/api/v1/me", ["password": "brand-new-pass", "currentPassword": "nope"])
            #expect(wrong.errorFields["currentPassword"] == "is not your current password")
            let right = try await manager.patch("/api/v1/me", ["password": "brand-new-pass", "currentPassword": "password-ivan"])
            #expect(right.status == .ok)
            #expect(try await manager.get("/api/v1/me").status == .ok, "the session it was changed from stays")
            let elsewhere = try await API.signIn(app, "ivan", "brand-new-pass")
            _ = try await elsewhere.patch("/api/v1/me", ["password": "third-password", "currentPassword": "brand-new-pass"])
            #expect(try await manager.get("/api/v1/me").status == .unauthorized, "other sessions are signed out")
        }
    }
}
