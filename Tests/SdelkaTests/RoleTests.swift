import Testing
import Vapor
@testable import Sdelka

/// Each role's allowed and refused actions, through the API as a user would meet them.
@Suite struct RoleTests {
    @Test(arguments: TestDB.all)
    func eachRoleGetsWhatItMayDo(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            var clients: [String: API] = ["admin": admin]
            for role in ["head", "manager", "marketer", "viewer"] {
                clients[role] = try await admin.createUser("\(role)1", role: role).api
            }
            // (what, request, roles that may)
            let features = try await admin.get("/api/v1/settings/features").text
            let cases: [(String, (API) async throws -> API.Reply, Set<String>)] = [
                ("create user", { try await $0.post("/api/v1/users", ["login": "u\(UUID().uuidString.prefix(6))", "name": "U", "role": "viewer", "password": "long-enough"]) }, ["admin"]),
                ("create region", { try await $0.post("/api/v1/business-regions", ["name": "Юг"]) }, ["admin", "head", "marketer"]),
                ("create access group", { try await $0.post("/api/v1/access-groups", ["name": "Опт"]) }, ["admin"]),
                ("change feature switches", { try await $0.send(.PUT, "/api/v1/settings/features", raw: features) }, ["admin"]),
                ("read audit log", { try await $0.get("/api/v1/audit") }, ["admin", "head"]),
                ("purge", { try await $0.post("/api/v1/purge") }, ["admin"]),
                ("read users", { try await $0.get("/api/v1/users") }, ["admin", "head", "manager", "marketer", "viewer"]),
                ("read regions", { try await $0.get("/api/v1/business-regions") }, ["admin", "head", "manager", "marketer", "viewer"]),
                ("change own language", { try await $0.patch("/api/v1/me", ["language": "en"]) }, ["admin", "head", "manager", "marketer", "viewer"]),
            ]
            for (what, call, allowed) in cases {
                for (role, client) in clients {
                    let reply = try await call(client)
                    if allowed.contains(role) {
                        #expect(reply.status.code < 300, "\(role) may \(what): got \(reply.status) \(reply.text)")
                    } else {
                        #expect(reply.status == .forbidden, "\(role) may not \(what): got \(reply.status)")
                        #expect(reply.errorCode == "forbidden")
                    }
                }
            }
        }
    }

    @Test(arguments: TestDB.all)
    func aNewRoleTakesEffectOnTheNextRequest(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (user, id) = try await admin.createUser("rising", role: "manager")
            #expect(try await user.post("/api/v1/business-regions", ["name": "Юг"]).status == .forbidden)
            #expect(try await admin.patch("/api/v1/users/\(id)", ["role": "head"]).status == .ok)
            #expect(try await user.post("/api/v1/business-regions", ["name": "Юг"]).status == .created)
            #expect(try await admin.patch("/api/v1/users/\(id)", ["role": "viewer"]).status == .ok)
            #expect(try await user.post("/api/v1/business-regions", ["name": "Север"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDB.all)
    func theLastAdminCannotBeDemoted(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let me = try await admin.get("/api/v1/me").json()
            let reply = try await admin.patch("/api/v1/users/\(me["id"] as! String)", ["role": "manager"])
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "last_admin")
        }
    }

    @Test(arguments: TestDB.all)
    func aDeactivatedUserIsSignedOut(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (manager, id) = try await admin.createUser("leaving", role: "manager")
            #expect(try await manager.get("/api/v1/me").status == .ok)
            #expect(try await admin.patch("/api/v1/users/\(id)", ["active": false]).status == .ok)
            #expect(try await manager.get("/api/v1/me").status == .unauthorized)
            let again = try await API(app: app).post("/api/v1/auth/login", ["login": "leaving", "password": "password-leaving"])
            #expect(again.status == .unauthorized)
        }
    }
}
