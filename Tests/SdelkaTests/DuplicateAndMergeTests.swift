import Testing
import Vapor
@testable import Sdelka

@Suite struct DuplicateAndMergeTests {
    struct Answer: Decodable { var candidates: [PartnerDuplicates.Candidate] }

    @Test(arguments: TestDB.all)
    func duplicatesAreProposedWithTheirReasons(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let romashka = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "ООО \"Ромашка\"", "contacts": [["type": "phone", "kind": "work", "value": "+7 (495) 123-45-67"],
                                                        ["type": "email", "kind": "work", "value": "info@romashka.ru"]]])).decode(PartnerDTO.self)
            let sber = try await admin.post("/api/v1/partners", ["name": "Сбер"]).decode(PartnerDTO.self)
            _ = try await admin.post("/api/v1/counterparties", ["partnerId": sber.id.uuidString, "name": "ПАО Сбербанк", "inn": "7707083893"])

            let byName = try await admin.send(.POST, "/api/v1/partners/duplicates", json: JSONObject(["name": "ромашка ООО"])).decode(Answer.self)
            #expect(byName.candidates == [.init(id: romashka.id, name: "ООО \"Ромашка\"", reasons: ["name"])])

            let byAll = try await admin.send(.POST, "/api/v1/partners/duplicates", json: JSONObject([
                "name": "Romashka Trade", "contacts": [["type": "phone", "kind": "", "value": "8 495 123-45-67"],
                                                       ["type": "email", "kind": "", "value": "INFO@romashka.ru"]]])).decode(Answer.self)
            #expect(byAll.candidates.first?.reasons == ["phone", "email"])

            let byINN = try await admin.send(.POST, "/api/v1/partners/duplicates", json: JSONObject(["name": "Новый банк", "inn": "7707083893"])).decode(Answer.self)
            #expect(byINN.candidates.map(\.reasons) == [["inn"]])
            #expect(byINN.candidates.first?.id == sber.id)

            let none = try await admin.send(.POST, "/api/v1/partners/duplicates", json: JSONObject(["name": "Лютик"])).decode(Answer.self)
            #expect(none.candidates.isEmpty)
        }
    }

    @Test(arguments: TestDB.all)
    func mergeMovesEveryReferenceInOneStepAndIsAudited(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let survivor = try await admin.post("/api/v1/partners", ["name": "Ромашка"]).decode(PartnerDTO.self)
            let twin = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Ромашка (дубль)", "contacts": [["type": "phone", "kind": "work", "value": "84951234567"]]])).decode(PartnerDTO.self)
            let child = try await admin.post("/api/v1/partners", ["name": "Ромашка-Юг", "parentId": twin.id.uuidString]).decode(PartnerDTO.self)
            let counterparty = try await admin.post("/api/v1/counterparties", ["partnerId": twin.id.uuidString, "name": "ООО Ромашка"]).json()["id"] as! String
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": twin.id.uuidString, "name": "Иван"]).json()["id"] as! String
            let channel = try await admin.post("/api/v1/channels", ["name": "Выставка"]).json()["id"] as! String
            let event = try await admin.send(.POST, "/api/v1/marketing-events", json: JSONObject([
                "name": "Продэкспо", "plannedStart": "2026-02-09", "plannedEnd": "2026-02-13",
                "participants": [JSONObject(["partnerId": twin.id.uuidString, "invited": true, "attended": false])]])).json()["id"] as! String
            let referred = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Лютик", "source": ["channelId": channel, "eventId": event, "referrerPartnerId": twin.id.uuidString]])).decode(PartnerDTO.self)
            let kind = try await admin.post("/api/v1/partner-link-kinds", ["name": "Головная компания", "reverseName": "Дочерняя компания"]).json()["id"] as! String
            let link = try await admin.post("/api/v1/partner-links", ["partnerId": twin.id.uuidString, "linkedPartnerId": referred.id.uuidString, "kindId": kind]).json()["id"] as! String
            let selfLink = try await admin.post("/api/v1/partner-links", ["partnerId": survivor.id.uuidString, "linkedPartnerId": twin.id.uuidString, "kindId": kind]).json()["id"] as! String

            let dealKind = try await admin.dealKind("Опт", type: "free", stages: [])
            let ownDeal = try await admin.deal("Поставка", partner: twin.id, kind: dealKind)
            let joint = try await admin.deal("Тендер", partner: referred.id, kind: dealKind,
                                             ["participants": [JSONObject(["partnerId": twin.id.uuidString, "role": "Соисполнитель"])]])

            let reply = try await admin.post("/api/v1/partners/\(twin.id)/merge", ["intoId": survivor.id.uuidString])
            #expect(reply.status == .ok, "\(reply.text)")
            let moved = try reply.json()["moved"] as? [String: Int]
            #expect(moved == ["counterparties.partner_id": 1, "contact_persons.partner_id": 1,
                              "contact_details.partner_id": 1, "partners.parent_id": 1,
                              "primary_interests.referrer_partner_id": 1, "marketing_event_participants.partner_id": 1,
                              "partner_links.partner_id": 1, "partner_links.linked_partner_id": 1,
                              "deals.partner_id": 1, "deal_participants.partner_id": 1])
            #expect(try await admin.get("/api/v1/deals/\(ownDeal.id)").decode(DealDTO.self).partnerId == survivor.id)
            #expect(try await admin.get("/api/v1/deals/\(joint.id)").decode(DealDTO.self).participants.map(\.partnerId) == [survivor.id])
            let participants = try await admin.get("/api/v1/marketing-events/\(event)").json()["participants"] as? [[String: Any]]
            #expect(participants?.first?["partnerId"] as? String == survivor.id.uuidString)
            #expect(try await admin.get("/api/v1/partners/\(referred.id)").decode(PartnerDTO.self).source?.referrerPartnerId == survivor.id)
            #expect(try await admin.get("/api/v1/partner-links/\(link)").json()["partnerId"] as? String == survivor.id.uuidString)
            #expect(try await admin.get("/api/v1/partner-links/\(selfLink)").json()["deletionMark"] as? Bool == true,
                    "a link between the two merged partners is marked, not turned into a self-link")

            #expect(try await admin.get("/api/v1/counterparties/\(counterparty)").json()["partnerId"] as? String == survivor.id.uuidString)
            #expect(try await admin.get("/api/v1/contact-persons/\(person)").json()["partnerId"] as? String == survivor.id.uuidString)
            #expect(try await admin.get("/api/v1/partners/\(child.id)").json()["parentId"] as? String == survivor.id.uuidString)
            let merged = try await admin.get("/api/v1/partners/\(survivor.id)").decode(PartnerDTO.self)
            #expect(merged.contacts.map(\.value) == ["84951234567"])
            let byPhone = try await admin.get("/api/v1/partners?q=%2B7%20495%20123-45-67").json()["items"] as? [[String: Any]]
            #expect(byPhone?.map { $0["id"] as? String } == [survivor.id.uuidString], "the moved phone now finds the survivor")
            #expect(try await admin.get("/api/v1/partners/\(twin.id)").json()["deletionMark"] as? Bool == true)
            let log = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(twin.id)").json()
            #expect(((log["items"] as? [[String: Any]])?.first?["action"] as? String) == "merge")

            let again = try await admin.post("/api/v1/partners/\(survivor.id)/merge", ["intoId": survivor.id.uuidString])
            #expect(again.errorFields["intoId"] == "must be another partner")
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerCannotMergeOrFindPartnersOutsideTheirGroups(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let own = try await admin.post("/api/v1/partners", ["name": "Ромашка", "accessGroupId": retail]).decode(PartnerDTO.self)
            let hidden = try await admin.post("/api/v1/partners", ["name": "Ромашка", "accessGroupId": wholesale]).decode(PartnerDTO.self)

            let found = try await manager.send(.POST, "/api/v1/partners/duplicates", json: JSONObject(["name": "Ромашка"])).decode(Answer.self)
            #expect(found.candidates.map(\.id) == [own.id], "the hidden twin is not proposed")
            let into = try await manager.post("/api/v1/partners/\(own.id)/merge", ["intoId": hidden.id.uuidString])
            #expect(into.errorFields["intoId"] == "names a partner that does not exist")
            #expect(try await manager.post("/api/v1/partners/\(hidden.id)/merge", ["intoId": own.id.uuidString]).status == .notFound)
            #expect(try await admin.get("/api/v1/partners/\(hidden.id)").json()["deletionMark"] as? Bool == false)
        }
    }
}
