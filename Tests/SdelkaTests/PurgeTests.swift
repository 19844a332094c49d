import Testing
import Vapor
@testable import Sdelka

@Suite struct PurgeTests {
    @Test(arguments: TestDB.all)
    func purgeDeletesOnlyMarkedObjectsNothingRefersTo(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let used = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let unused = try await admin.post("/api/v1/access-groups", ["name": "Архив"]).json()["id"] as! String
            let kept = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            _ = try await admin.createUser("petrov", role: "manager", groups: [used])
            _ = try await admin.delete("/api/v1/access-groups/\(used)")
            _ = try await admin.delete("/api/v1/access-groups/\(unused)")

            let preview = try await admin.get("/api/v1/purge").json()
            #expect((preview["purged"] as? [[String: Any]])?.count == 1)

            let report = try await admin.post("/api/v1/purge")
            #expect(report.status == .ok)
            let body = try report.json()
            let purged = (body["purged"] as? [[String: Any]] ?? []).map { $0["id"] as? String }
            let refused = body["kept"] as? [[String: Any]] ?? []
            #expect(purged == [unused])
            #expect(refused.count == 1)
            #expect(refused.first?["id"] as? String == used)
            #expect(refused.first?["referencedBy"] as? [String] == ["user"])

            #expect(try await admin.get("/api/v1/access-groups/\(unused)").status == .notFound)
            let stillThere = try await admin.get("/api/v1/access-groups/\(used)")
            #expect(stillThere.status == .ok)
            #expect(try stillThere.json()["deletionMark"] as? Bool == true)
            #expect(try await admin.get("/api/v1/access-groups/\(kept)").status == .ok, "unmarked objects stay")

            let log = try await admin.get("/api/v1/audit?objectType=accessGroup&objectId=\(unused)").json()
            #expect(((log["items"] as? [[String: Any]])?.first?["action"] as? String) == "purge")
        }
    }

    @Test(arguments: TestDB.all)
    func purgingAUserFreesTheGroupsOnlyItHeld(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Ключевые"]).json()["id"] as! String
            let (_, userID) = try await admin.createUser("gone", role: "manager", groups: [group])
            _ = try await admin.delete("/api/v1/users/\(userID)")
            _ = try await admin.delete("/api/v1/access-groups/\(group)")
            let body = try await admin.post("/api/v1/purge").json()
            #expect((body["purged"] as? [[String: Any]])?.count == 2)
            #expect((body["kept"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
