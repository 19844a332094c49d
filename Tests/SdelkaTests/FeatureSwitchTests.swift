import Testing
import Vapor
@testable import Sdelka

@Suite struct FeatureSwitchTests {
    @Test(arguments: TestDB.all)
    func aSwitchedOffPartAnswers404AndKeepsItsData(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let created = try await admin.post("/api/v1/business-regions", ["name": "Сибирь"])
            let id = try created.json()["id"] as! String

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            #expect(features.count == 18)
            features["businessRegions"] = false
            let saved = try await admin.put("/api/v1/settings/features", features)
            #expect(saved.status == .ok)

            let list = try await admin.get("/api/v1/business-regions")
            #expect(list.status == .notFound)
            #expect(list.errorCode == "feature_disabled")
            #expect(try await admin.get("/api/v1/business-regions/\(id)").errorCode == "feature_disabled")

            features["businessRegions"] = true
            _ = try await admin.put("/api/v1/settings/features", features)
            let back = try await admin.get("/api/v1/business-regions/\(id)")
            #expect(back.status == .ok)
            #expect(try back.json()["name"] as? String == "Сибирь")
        }
    }

    @Test(arguments: TestDB.all)
    func featuresPutNeedsEverySwitch(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let reply = try await admin.put("/api/v1/settings/features", ["deals": false])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorFields["dealStages"] == "is required")
        }
    }

    @Test(arguments: TestDB.all)
    func classificationSettingsAreValidatedAndStored(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let initial = try await admin.get("/api/v1/settings/classification").json()
            #expect((initial["abc"] as? [String: Any])?["unit"] as? String == "month")

            let bad = try await admin.send(.PUT, "/api/v1/settings/classification",
                                           raw: #"{"abc":{"unit":"fortnight","count":0},"xyz":{"unit":"month","count":12,"subUnit":"quarter"}}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.errorFields["abc.unit"]?.hasPrefix("must be one of: day, week, decade") == true)

            let tooCoarse = try await admin.send(.PUT, "/api/v1/settings/classification",
                                                 raw: #"{"abc":{"unit":"month","count":0},"xyz":{"unit":"month","count":12,"subUnit":"quarter"}}"#)
            #expect(tooCoarse.errorFields["abc.count"] == "must be between 1 and 366")
            #expect(tooCoarse.errorFields["xyz.subUnit"] == "a quarter does not fit a whole number of times into a month")

            let good = #"{"abc":{"unit":"quarter","count":4},"xyz":{"unit":"halfYear","count":2,"subUnit":"decade"}}"#
            #expect(try await admin.send(.PUT, "/api/v1/settings/classification", raw: good).status == .ok)
            let stored = try await admin.get("/api/v1/settings/classification").json()
            #expect((stored["xyz"] as? [String: Any])?["subUnit"] as? String == "decade")
            #expect((stored["abc"] as? [String: Any])?["count"] as? Int == 4)
        }
    }
}
