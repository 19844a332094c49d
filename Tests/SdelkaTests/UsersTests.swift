import Testing
import Vapor
@testable import Sdelka

@Suite struct UsersTests {
    @Test(arguments: TestDB.all)
    func aUserReadsBackWithItsGrants(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, id) = try await admin.createUser("petrov", role: "manager", groups: [retail, wholesale])
            let read = try await manager.get("/api/v1/users/\(id)").json()
            #expect(Set(read["accessGroupIds"] as? [String] ?? []) == Set([retail, wholesale].map { $0.uppercased() }))
            #expect(read["role"] as? String == "manager")
            #expect(read["version"] as? Int == 1)
            let me = try await manager.get("/api/v1/me").json()
            #expect(me["login"] as? String == "petrov")

            let adminSelf = try await admin.get("/api/v1/me").json()
            #expect(adminSelf["accessGroupIds"] as? [String] == [], "a user without grants has an empty list")

            _ = try await admin.patch("/api/v1/users/\(id)", ["accessGroupIds": [wholesale]])
            let after = try await admin.get("/api/v1/users/\(id)").json()
            #expect(after["accessGroupIds"] as? [String] == [wholesale.uppercased()])
            #expect(after["version"] as? Int == 2)
        }
    }

    @Test(arguments: TestDB.all)
    func loginsAreUniqueWithoutRegardToCase(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let reply = try await admin.post("/api/v1/users", ["login": "Admin", "name": "Twin", "role": "viewer", "password": "long-enough"])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorFields["login"] == "is already taken")
        }
    }
}
