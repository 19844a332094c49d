import Testing
import Vapor
@testable import Sdelka

@Suite struct ErrorFormatTests {
    @Test(arguments: TestDB.all)
    func malformedJSONIs400(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let reply = try await admin.send(.POST, "/api/v1/business-regions", raw: "{\"name\": ")
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "malformed_request")
            #expect(!reply.text.contains("Swift"), "no internals in the response")
        }
    }

    @Test(arguments: TestDB.all)
    func validationIs422WithFields(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let reply = try await admin.post("/api/v1/users", ["login": "a b", "role": "boss", "password": "short"])
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorFields["login"] == "must not contain spaces")
            #expect(reply.errorFields["name"] == "is required")
            #expect(reply.errorFields["role"]?.hasPrefix("must be one of") == true)
            #expect(reply.errorFields["password"] == "must be at least 8 characters")

            let wrongType = try await admin.send(.POST, "/api/v1/business-regions", raw: "{\"name\": 42}")
            #expect(wrongType.status == .unprocessableEntity)
            #expect(wrongType.errorFields["name"] == "must be a string")
        }
    }

    @Test(arguments: TestDB.all)
    func unknownIdIs404(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let missing = try await admin.get("/api/v1/users/\(UUID())")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            let notAUUID = try await admin.get("/api/v1/business-regions/not-a-uuid")
            #expect(notAUUID.status == .notFound)
            let noRoute = try await admin.get("/api/v1/nothing-here")
            #expect(noRoute.status == .notFound)
            #expect(noRoute.errorCode == "not_found")
        }
    }

    @Test(arguments: TestDB.all)
    func staleVersionIs409(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let created = try await admin.post("/api/v1/business-regions", ["name": "Урал"])
            let id = try created.json()["id"] as! String
            #expect(try created.json()["version"] as? Int == 1)

            let first = try await admin.patch("/api/v1/business-regions/\(id)", ["name": "Урал и Пермь", "version": 1])
            #expect(first.status == .ok)
            #expect(try first.json()["version"] as? Int == 2)

            let stale = try await admin.patch("/api/v1/business-regions/\(id)", ["name": "Уральский регион", "version": 1])
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "version_conflict")
            let stored = try await admin.get("/api/v1/business-regions/\(id)")
            #expect(try stored.json()["name"] as? String == "Урал и Пермь", "the stale write changed nothing")
        }
    }

    @Test(arguments: TestDB.all)
    func noTokenIs401(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let anonymous = API(app: app)
            let reply = try await anonymous.get("/api/v1/users")
            #expect(reply.status == .unauthorized)
            #expect(reply.errorCode == "unauthorized")
            let forged = API(app: app, token: "sdk_forged")
            #expect(try await forged.get("/api/v1/users").status == .unauthorized)
        }
    }
}
