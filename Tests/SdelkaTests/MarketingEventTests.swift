import Testing
import Vapor
@testable import Sdelka

@Suite struct MarketingEventTests {
    @Test(arguments: TestDB.all)
    func anEventKeepsItsFieldsMoneyAndParticipants(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let channel = try await admin.post("/api/v1/channels", ["name": "Выставка"]).json()["id"] as! String
            let partner = try await admin.post("/api/v1/partners", ["name": "Ромашка"]).decode(PartnerDTO.self)
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": partner.id.uuidString, "name": "Иванова Анна"]).json()["id"] as! String
            let created = try await admin.send(.POST, "/api/v1/marketing-events", json: JSONObject([
                "name": "Продэкспо-2026", "kind": "Выставка", "channelId": channel,
                "plannedStart": "2026-02-09", "plannedEnd": "2026-02-13", "budget": 1250000.5,
                "participants": [JSONObject(["partnerId": partner.id.uuidString, "contactPersonId": person, "role": "Гость", "invited": true, "attended": false])]]))
            #expect(created.status == .created, "\(created.text)")
            let event = try created.decode(MarketingEventDTO.self)
            #expect(event.budget == Decimal(string: "1250000.5"))
            #expect(event.finished == false)
            #expect(event.participants == [EventParticipantDTO(partnerId: partner.id, contactPersonId: UUID(uuidString: person),
                                                               role: "Гость", invited: true, attended: false)])
            #expect(created.text.contains("\"budget\":1250000.5"), "money is a JSON number")

            let patched = try await admin.send(.PATCH, "/api/v1/marketing-events/\(event.id)", json: JSONObject([
                "version": 1, "actualStart": "2026-02-09", "actualEnd": "2026-02-12", "finished": true, "actualCost": 1180000,
                "participants": [JSONObject(["partnerId": partner.id.uuidString, "invited": true, "attended": true])]])).decode(MarketingEventDTO.self)
            #expect(patched.finished && patched.actualCost == 1180000 && patched.version == 2)
            #expect(patched.participants.map(\.attended) == [true])

            let listed = try await admin.get("/api/v1/marketing-events?partnerId=\(partner.id)&from=2026-02-01&to=2026-02-28").json()
            #expect(listed["total"] as? Int == 1)
            #expect(try await admin.get("/api/v1/marketing-events?from=2026-03-01").json()["total"] as? Int == 0)
            #expect(try await admin.get("/api/v1/marketing-events?q=продэкспо").json()["total"] as? Int == 1)

            let source = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Лютик", "source": ["channelId": channel, "eventId": event.id.uuidString]]))
            #expect(source.status == .created, "a partner can come from the event")
        }
    }

    @Test(arguments: TestDB.all)
    func badEventsAreRefusedWithTheFieldAndTheRule(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let missing = try await admin.send(.POST, "/api/v1/marketing-events", json: JSONObject(["kind": "Семинар"]))
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.errorFields == ["name": "is required", "plannedStart": "is required", "plannedEnd": "is required"])
            let bad = try await admin.send(.POST, "/api/v1/marketing-events", json: JSONObject([
                "name": "Семинар", "plannedStart": "2026-05-10", "plannedEnd": "2026-05-01", "budget": 10.555,
                "actualCost": -1, "channelId": UUID().uuidString,
                "participants": [JSONObject(["partnerId": UUID().uuidString, "invited": true, "attended": false])]]))
            #expect(bad.errorFields == ["plannedEnd": "must not be before plannedStart", "budget": "must have at most 2 decimals and be less than a trillion",
                                        "actualCost": "must not be negative", "channelId": "names a channel that does not exist",
                                        "participants.0.partnerId": "names a partner that does not exist"])
            let wrongSource = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Лютик", "source": ["channelId": UUID().uuidString, "eventId": UUID().uuidString]]))
            #expect(wrongSource.errorFields["source.eventId"] == "names a marketing event that does not exist")

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["marketingEvents"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            let off = try await admin.get("/api/v1/marketing-events")
            #expect(off.status == .notFound && off.text.contains("feature_disabled"))
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerSeesAndKeepsOnlyTheParticipantsOfTheirPartners(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let own = try await admin.post("/api/v1/partners", ["name": "Ромашка", "accessGroupId": retail]).decode(PartnerDTO.self)
            let hidden = try await admin.post("/api/v1/partners", ["name": "Лютик", "accessGroupId": wholesale]).decode(PartnerDTO.self)
            let event = try await admin.send(.POST, "/api/v1/marketing-events", json: JSONObject([
                "name": "Семинар", "plannedStart": "2026-05-10", "plannedEnd": "2026-05-10",
                "participants": [JSONObject(["partnerId": own.id.uuidString, "invited": true, "attended": false]),
                                 JSONObject(["partnerId": hidden.id.uuidString, "invited": true, "attended": true])]])).decode(MarketingEventDTO.self)

            let seen = try await manager.get("/api/v1/marketing-events/\(event.id)").decode(MarketingEventDTO.self)
            #expect(seen.participants.map(\.partnerId) == [own.id])
            let refused = try await manager.send(.PATCH, "/api/v1/marketing-events/\(event.id)", json: JSONObject([
                "participants": [JSONObject(["partnerId": hidden.id.uuidString, "invited": true, "attended": true])]]))
            #expect(refused.errorFields["participants.0.partnerId"] == "names a partner that does not exist")
            let saved = try await manager.send(.PATCH, "/api/v1/marketing-events/\(event.id)", json: JSONObject([
                "participants": [JSONObject(["partnerId": own.id.uuidString, "invited": true, "attended": true])]]))
            #expect(saved.status == .ok, "\(saved.text)")
            let all = try await admin.get("/api/v1/marketing-events/\(event.id)").decode(MarketingEventDTO.self)
            #expect(all.participants.map(\.partnerId) == [own.id, hidden.id], "the hidden participant survives the manager's edit")
            #expect(all.participants.map(\.attended) == [true, true])
        }
    }
}
