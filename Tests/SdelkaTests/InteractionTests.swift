import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// The interactions journal (DOMAIN.md §3): the five kinds and their rules, participants,
/// chains and their figures, the workplace filters and bulk actions, and who sees what.
@Suite struct InteractionTests {
    @Test(arguments: TestDB.all)
    func journalChainsWorkplaceAndAccess(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let (manager, managerID) = try await admin.createUser("south", role: "manager", groups: [south])
            let romashka = try await admin.partner("Ромашка", group: south), lutik = try await admin.partner("Лютик")
            let ivanova = try await admin.post("/api/v1/contact-persons", ["partnerId": romashka.uuidString, "name": "Иванова Анна"]).json()["id"] as! String
            func create(_ body: [String: any Encodable & Sendable], as api: API? = nil) async throws -> API.Reply {
                try await (api ?? admin).send(.POST, "/api/v1/interactions", json: JSONObject(body))
            }

            // A meeting needs a description and a start.
            let bad = try await create(["type": "meeting", "topic": "Переговоры"])
            #expect(bad.status == .unprocessableEntity && bad.errorFields == ["description": "is required", "start": "is required"])
            let meeting = try await create(["type": "meeting", "topic": "Переговоры о поставке", "description": "Обсудили объемы",
                                            "start": "2026-11-20T10:00:00Z", "end": "2026-11-20T11:00:00Z", "place": "Офис клиента",
                                            "responsibleId": managerID, "participants": [JSONObject(["contactPersonId": ivanova])]]).decode(InteractionDTO.self)
            #expect(meeting.partnerId == romashka && meeting.participants.first?.partnerId == romashka, "a contact person brings its partner")
            #expect(meeting.subject == .init(type: .interaction, id: meeting.id) && meeting.chain == ChainDTO(unreviewed: 1, lastAt: meeting.start))
            // A call answering it joins its chain.
            let call = try await create(["type": "call", "topic": "Уточнение", "description": "Перезвонили", "incoming": false,
                                         "phone": "8 (900) 123-45-67", "durationSeconds": 95, "basisId": meeting.id.uuidString,
                                         "responsibleId": managerID, "participants": [JSONObject(["partnerId": romashka.uuidString])]]).decode(InteractionDTO.self)
            #expect(call.subject == meeting.subject && call.chain?.unreviewed == 2)
            #expect(try await create(["type": "call", "topic": "x", "description": "y"]).errorFields == ["incoming": "is required"])
            // A planned contact about Лютик's deal; an e-mail received; an SMS written down.
            let kind = try await admin.dealKind("Опт", type: "free", stages: [])
            let deal = try await admin.deal("Поставка", partner: lutik, kind: kind)
            let planned = try await create(["type": "planned", "topic": "Позвонить", "description": "Про условия", "plannedAt": "2026-12-01T09:00:00Z",
                                            "subject": JSONObject(["type": "deal", "id": deal.id.uuidString]),
                                            "participants": [JSONObject(["partnerId": lutik.uuidString])]]).decode(InteractionDTO.self)
            #expect(planned.subject == .init(type: .deal, id: deal.id))
            let queued = try await create(["type": "email", "topic": "Счет", "status": "queued", "to": "a@romashka.ru"])
            #expect(queued.errorFields == ["status": "cannot be queued: no SMTP server is configured (SMTP_URL)"])
            let letter = try await create(["type": "email", "topic": "Заявка", "status": "received", "incoming": true, "from": "Анна <anna@romashka.ru>",
                                           "to": "sales@sdelka.example", "bodyText": "Пришлите счет", "responsibleId": managerID,
                                           "participants": [JSONObject(["contactPersonId": ivanova, "address": "anna@romashka.ru"])]]).decode(InteractionDTO.self)
            #expect(try await create(["type": "email", "topic": "x", "status": "draft", "to": "not an address"]).errorFields == ["to": "must be e-mail addresses separated by commas"])
            // Without a gateway an SMS cannot be queued, only written down with its recipients' states.
            let unsent = try await create(["type": "sms", "text": "Ваш заказ готов", "topic": "Заказ", "recipients": [JSONObject(["phone": "+7 900 123-45-67"])]])
            #expect(unsent.errorFields == ["recipients": "cannot be queued: no SMS gateway is configured (SMS_GATEWAY_URL)"])
            let sms = try await create(["type": "sms", "text": "Ваш заказ готов", "topic": "Заказ",
                                        "recipients": [JSONObject(["phone": "+7 900 123-45-67", "state": "sent"])]])
            #expect(try sms.status == .created && sms.decode(InteractionDTO.self).recipients == [SMSRecipientDTO(phone: "79001234567", state: .sent, error: nil)])

            func topics(_ query: String, as api: API? = nil) async throws -> [String] {
                try await (api ?? admin).get("/api/v1/interactions?\(query)").decode(PageDTO<InteractionDTO>.self).items.map(\.topic)
            }
            // The workplace: the manager's unreviewed ones newest first; by partner, contact person, subject.
            #expect(try await topics("reviewed=false&responsibleId=\(managerID)") == ["Заявка", "Уточнение", "Переговоры о поставке"])
            #expect(try await topics("partnerId=\(romashka)") == ["Заявка", "Уточнение", "Переговоры о поставке"])
            #expect(try await topics("contactPersonId=\(ivanova)") == ["Заявка", "Переговоры о поставке"])
            #expect(try await topics("subjectType=interaction&subjectId=\(meeting.id)") == ["Уточнение", "Переговоры о поставке"])
            #expect(try await topics("type=planned") == ["Позвонить"])
            #expect(try await topics("from=2026-11-20&to=2026-11-20") == ["Переговоры о поставке"])
            #expect(try await topics("q=объем") == ["Переговоры о поставке"])
            // The manager of Юг does not see Лютик's planned contact.
            #expect(try await topics("type=planned", as: manager).isEmpty)
            #expect(try await manager.get("/api/v1/interactions/\(planned.id)").status == .notFound)

            // Bulk: reviewed, postponed, a new responsible; the chain's figure follows.
            let done = try await admin.post("/api/v1/interactions/bulk", ["ids": [meeting.id.uuidString, call.id.uuidString], "action": "markReviewed"])
            #expect(try done.status == .ok && done.json()["updated"] as? Int == 2)
            #expect(try await admin.get("/api/v1/interactions/\(meeting.id)").decode(InteractionDTO.self).chain?.unreviewed == 0)
            #expect(try await admin.post("/api/v1/interactions/bulk", ["ids": [letter.id.uuidString], "action": "postpone", "reviewAfter": "2026-01-01"]).status == .ok)
            #expect(try await topics("reviewDue=true") == ["Заявка"])
            let refused = try await manager.post("/api/v1/interactions/bulk", ["ids": [letter.id.uuidString, planned.id.uuidString], "action": "markReviewed"])
            #expect(refused.status == .unprocessableEntity && refused.errorFields == ["ids": "names an interaction that does not exist"])
            #expect(try await admin.post("/api/v1/interactions/bulk", ["ids": [planned.id.uuidString], "action": "setResponsible", "responsibleId": managerID]).status == .ok)
            #expect(try await topics("responsibleId=\(managerID)&type=planned") == ["Позвонить"])

            // A kind is fixed; an old version conflicts; a mark leaves the chain.
            #expect(try await admin.patch("/api/v1/interactions/\(call.id)", ["type": "meeting"]).errorFields == ["type": "cannot be changed"])
            #expect(try await admin.patch("/api/v1/interactions/\(call.id)", ["topic": "Уточнили", "version": 1]).status == .conflict)
            #expect(try await admin.patch("/api/v1/interactions/\(call.id)", ["reviewed": false, "version": 2]).status == .ok)
            #expect(try await admin.delete("/api/v1/interactions/\(call.id)").status == .ok)
            #expect(try await admin.get("/api/v1/interactions/\(meeting.id)").decode(InteractionDTO.self).chain?.unreviewed == 0)
            #expect(try await admin.get("/api/v1/audit?objectType=interaction&objectId=\(call.id)").text.contains("markDeleted"))

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["interactions"] = false
            #expect(try await admin.put("/api/v1/settings/features", features).status == .ok)
            #expect(try await admin.get("/api/v1/interactions").errorCode == "feature_disabled")
        }
    }
}
