import Testing
import SdelkaCore
import Vapor
@testable import Sdelka

@Suite struct AuditTests {
    struct Entry: Decodable {
        struct Change: Decodable { var field: String; var old: JSONValue?; var new: JSONValue? }
        var action: String
        var objectType: String
        var objectId: String
        var userLogin: String
        var changes: [Change]
    }
    struct Entries: Decodable { var items: [Entry]; var total: Int }

    @Test(arguments: TestDB.all)
    func everyChangeIsRecordedWithOldAndNewValues(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let id = try await admin.post("/api/v1/business-regions", ["name": "Юг", "comment": "Краснодар"]).json()["id"] as! String
            _ = try await admin.patch("/api/v1/business-regions/\(id)", ["name": "Юг России", "version": 1])
            _ = try await admin.delete("/api/v1/business-regions/\(id)")
            _ = try await admin.post("/api/v1/business-regions/\(id)/restore")

            let log = try await admin.get("/api/v1/audit?objectType=businessRegion&objectId=\(id)").decode(Entries.self)
            #expect(log.items.map(\.action) == ["restore", "markDeleted", "update", "create"])
            #expect(log.items.allSatisfy { $0.userLogin == "admin" })

            let update = log.items[2]
            #expect(update.changes.count == 1, "only the changed field, not version")
            #expect(update.changes[0].field == "name")
            #expect(update.changes[0].old == .string("Юг"))
            #expect(update.changes[0].new == .string("Юг России"))

            let create = log.items[3]
            #expect(create.changes.contains { $0.field == "comment" && $0.old == nil && $0.new == .string("Краснодар") })
            #expect(log.items[1].changes.map(\.field) == ["deletionMark"])
        }
    }

    @Test(arguments: TestDB.all)
    func userChangesAreAuditedWithoutThePassword(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (_, id) = try await admin.createUser("olga", role: "manager")
            _ = try await admin.patch("/api/v1/users/\(id)", ["role": "head", "password": "new-password-1"])
            let log = try await admin.get("/api/v1/audit?objectType=user&objectId=\(id)")
            #expect(!log.text.contains("new-password-1"))
            #expect(!log.text.contains("$2b$"), "no bcrypt hash in the log")
            let entries = try log.decode(Entries.self)
            let update = try #require(entries.items.first)
            #expect(update.changes.map(\.field) == ["password", "role"])
            #expect(update.changes.last?.old == .string("manager"))
            #expect(update.changes.last?.new == .string("head"))
        }
    }

    @Test(arguments: TestDB.all)
    func settingsChangesAreAudited(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["sms"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            let log = try await admin.get("/api/v1/audit?objectType=settings&objectId=features")
            let raw = try log.json()["items"] as! [[String: Any]]
            let changes = raw.first?["changes"] as? [[String: Any]]
            #expect(changes?.count == 1)
            #expect(changes?.first?["field"] as? String == "sms")
            #expect(changes?.first?["old"] as? Bool == true)
            #expect(changes?.first?["new"] as? Bool == false)
        }
    }

    @Test(arguments: TestDB.all)
    func auditFiltersByUserAndDate(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (head, headID) = try await admin.createUser("ira", role: "head")
            _ = try await head.post("/api/v1/business-regions", ["name": "Урал"])
            let byHead = try await admin.get("/api/v1/audit?userId=\(headID)").decode(Entries.self)
            #expect(byHead.total == 1)
            #expect(byHead.items.first?.objectType == "businessRegion")
            let future = try await admin.get("/api/v1/audit?from=2999-01-01").decode(Entries.self)
            #expect(future.total == 0)
            let badDate = try await admin.get("/api/v1/audit?from=01.01.2026")
            #expect(badDate.status == .unprocessableEntity)
            #expect(badDate.errorFields["from"] == "must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30")
        }
    }
}
