import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Nothing of a partner outside a user's access groups reaches that user (DOMAIN.md §9), and
/// records without a partner are not everyone's: each path that once showed or changed such a
/// record, as a one-group manager and as a one-group viewer.
@Suite struct AccessExposureTests {
    struct World {
        var admin: API
        var users: [(login: String, api: API)]
        var manager: API
        var own: UUID, hidden: UUID
        var hiddenPerson: String
    }

    static let hiddenName = "Скрытая Компания"

    static func world(_ app: Application) async throws -> World {
        let admin = try await API.admin(app)
        let north = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
        let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
        let (manager, _) = try await admin.createUser("north-manager", role: "manager", groups: [north])
        let (viewer, _) = try await admin.createUser("north-viewer", role: "viewer", groups: [north])
        let own = try await admin.partner("Своя Компания", group: north)
        let hidden = try await admin.partner(hiddenName, group: south)
        let person = try await admin.post("/api/v1/contact-persons", ["partnerId": hidden.uuidString, "name": "Скрытов Петр"]).json()["id"] as! String
        return World(admin: admin, users: [("north-manager", manager), ("north-viewer", viewer)], manager: manager,
                     own: own, hidden: hidden, hiddenPerson: person)
    }

    static func strangerLetter() throws -> String {
        try InboundMailTests.fixture("unknown-sender.eml")
    }

    @Test(arguments: TestDB.all)
    func lettersFromStrangersAndInteractionsWithoutAPartnerAreNotEveryones(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.world(app)
            let letter = try await w.admin.send(.POST, "/api/v1/inbound/email", raw: try Self.strangerLetter(), contentType: .plainText)
            #expect(letter.status == .created, "\(letter.text)")
            let letterID = try letter.decode(InteractionDTO.self).id
            let note = try await w.admin.send(.POST, "/api/v1/interactions", json: JSONObject(["type": "call", "topic": "Без партнера",
                                                                                             "description": "x", "incoming": true])).decode(InteractionDTO.self)
            #expect(try await w.admin.get("/api/v1/inbound/unknown-senders").json()["total"] as? Int == 1)
            for (login, api) in w.users {
                #expect(try await api.get("/api/v1/inbound/unknown-senders").json()["total"] as? Int == 0, "\(login)")
                #expect(try await api.get("/api/v1/interactions").json()["total"] as? Int == 0, "\(login)")
                #expect(try await api.get("/api/v1/interactions/\(letterID)").status == .notFound, "\(login)")
                #expect(try await api.get("/api/v1/interactions/\(note.id)").status == .notFound, "\(login)")
                // Posting the same letter again does not hand it over.
                let again = try await api.send(.POST, "/api/v1/inbound/email", raw: try Self.strangerLetter(), contentType: .plainText)
                if login == "north-manager" {
                    #expect(again.status == .ok && again.text == #"{"duplicate":true}"#, "\(again.text)")
                } else {
                    #expect(again.status == .forbidden)
                }
            }
            // The author and the responsible of one still see it.
            let own = try await w.manager.send(.POST, "/api/v1/interactions", json: JSONObject(["type": "call", "topic": "Мой звонок",
                                                                                              "description": "y", "incoming": false]))
            #expect(own.status == .created)
            #expect(try await w.manager.get("/api/v1/interactions").json()["total"] as? Int == 1)
            #expect(try await w.admin.get("/api/v1/interactions").json()["total"] as? Int == 3)
        }
    }

    @Test(arguments: TestDB.all)
    func participantsOfHiddenPartnersAreHiddenAndKept(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.world(app)
            let meeting = try await w.admin.send(.POST, "/api/v1/interactions", json: JSONObject([
                "type": "meeting", "topic": "Встреча", "description": "Обсудили", "start": "2026-11-20T10:00:00Z",
                "participants": [JSONObject(["partnerId": w.own.uuidString]), JSONObject(["contactPersonId": w.hiddenPerson])]])).decode(InteractionDTO.self)
            for (login, api) in w.users {
                let seen = try await api.get("/api/v1/interactions/\(meeting.id)")
                #expect(seen.status == .ok, "\(login)")
                #expect(!seen.text.contains(w.hidden.uuidString) && !seen.text.contains(w.hiddenPerson), "\(login): \(seen.text)")
                let participants = try seen.json()["participants"] as? [[String: Any]] ?? []
                #expect(participants.count == 2 && participants[1]["hidden"] as? Bool == true, "\(login)")
            }
            // The manager changes the topic and sends the participants back as seen: the hidden one stays.
            let changed = try await w.manager.send(.PATCH, "/api/v1/interactions/\(meeting.id)", json: JSONObject([
                "topic": "Встреча (итоги)", "version": meeting.version,
                "participants": [JSONObject(["partnerId": w.own.uuidString]), JSONObject(["hidden": true])]]))
            #expect(changed.status == .ok, "\(changed.text)")
            let stored = try await w.admin.get("/api/v1/interactions/\(meeting.id)").decode(InteractionDTO.self)
            #expect(stored.topic == "Встреча (итоги)")
            #expect(stored.participants.map(\.partnerId) == [w.own, w.hidden])
            #expect(stored.participants.last?.contactPersonId?.uuidString.lowercased() == w.hiddenPerson.lowercased())
            // Left out, it is kept too.
            let again = try await w.manager.send(.PATCH, "/api/v1/interactions/\(meeting.id)", json: JSONObject([
                "version": stored.version, "participants": [JSONObject(["partnerId": w.own.uuidString])]]))
            #expect(again.status == .ok, "\(again.text)")
            #expect(try await w.admin.get("/api/v1/interactions/\(meeting.id)").decode(InteractionDTO.self).participants.map(\.partnerId) == [w.own, w.hidden])
        }
    }

    @Test(arguments: TestDB.all)
    func reportsFormsAndErrorsDoNotNameHiddenPartners(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.world(app)
            // A deal of our partner lost to a competitor of the other group.
            let rival = try await w.admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Конкурент Юга", "isCompetitor": true, "accessGroupId": try await w.admin.get("/api/v1/partners/\(w.hidden)").json()["accessGroupId"] as! String]))
                .decode(PartnerDTO.self)
            let kind = try await w.admin.dealKind("Опт", type: "manual", stages: ["Интерес"])
            let deal = try await w.admin.deal("Поставка", partner: w.own, kind: kind)
            let price = try await w.admin.lossReason("Цена")
            #expect(try await w.admin.post("/api/v1/deals/\(deal.id)/lose", ["lossReasonId": price, "competitorId": rival.id.uuidString]).status == .ok)
            #expect(try await w.admin.get("/api/v1/reports/deals?groupBy=competitor").text.contains("Конкурент Юга"))
            // A counterparty of the hidden partner with an INN and KPP.
            let twin = try await w.admin.post("/api/v1/counterparties", ["partnerId": w.hidden.uuidString, "name": "ООО Скрытая",
                                                                         "inn": "7707083893", "kpp": "773601001"])
            #expect(twin.status == .created, "\(twin.text)")

            for (login, api) in w.users {
                let report = try await api.get("/api/v1/reports/deals?groupBy=competitor")
                #expect(report.status == .ok && !report.text.contains("Конкурент Юга"), "\(login): \(report.text)")
                var (browser, _) = try await Browser.signedIn(app, login, "password-\(login)")
                let dealForm = try await browser.get("/deals/new?partnerId=\(w.hidden)")
                #expect(!dealForm.html.contains(Self.hiddenName), "\(login): /deals/new names the hidden partner")
                let callForm = try await browser.get("/interactions/new?type=call&partnerId=\(w.hidden)&contactPersonId=\(w.hiddenPerson)")
                #expect(!callForm.html.contains(Self.hiddenName) && !callForm.html.contains("Скрытов Петр"), "\(login)")
            }
            let duplicate = try await w.manager.post("/api/v1/counterparties", ["partnerId": w.own.uuidString, "name": "ООО Своя",
                                                                                "inn": "7707083893", "kpp": "773601001"])
            #expect(duplicate.status == .unprocessableEntity)
            #expect(duplicate.errorFields["inn"] == "a counterparty with this INN and KPP already exists", "\(duplicate.text)")
        }
    }

    @Test(arguments: TestDB.all)
    func segmentsHoldingOtherGroupsPartnersAreChangedOnlyByThoseWhoSeeThem(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.world(app)
            func segment(_ api: API, _ body: [String: any Encodable & Sendable]) async throws -> API.Reply {
                try await api.send(.POST, "/api/v1/segments", json: JSONObject(body))
            }
            let shared = try await segment(w.admin, ["name": "Общий", "kind": "manual"]).json()["id"] as! String
            _ = try await w.admin.send(.POST, "/api/v1/segments/\(shared)/members", json: JSONObject(["partnerIds": [w.own.uuidString, w.hidden.uuidString]]))
            let stop = try await segment(w.admin, ["name": "Стоп", "kind": "manual", "stopList": true]).json()["id"] as! String

            for (login, api) in w.users {
                for id in [shared, stop] {
                    #expect(try await api.patch("/api/v1/segments/\(id)", ["name": "Мой"]).status == .forbidden, "\(login)")
                    #expect(try await api.delete("/api/v1/segments/\(id)").status == .forbidden, "\(login)")
                    #expect(try await api.post("/api/v1/segments/\(id)/refresh").status == .forbidden, "\(login)")
                    #expect(try await api.delete("/api/v1/segments/\(id)/members/\(w.own)").status == .forbidden, "\(login)")
                }
            }
            #expect(try await segment(w.manager, ["name": "Мой стоп", "kind": "manual", "stopList": true]).status == .forbidden)
            // The manager's own list of their own partners is theirs to change.
            let mine = try await segment(w.manager, ["name": "Мои", "kind": "manual"]).json()["id"] as! String
            #expect(try await w.manager.send(.POST, "/api/v1/segments/\(mine)/members", json: JSONObject(["partnerIds": [w.own.uuidString]])).status == .ok)
            #expect(try await w.manager.patch("/api/v1/segments/\(mine)", ["name": "Мои клиенты"]).status == .ok)
            #expect(try await w.admin.get("/api/v1/segments/\(shared)").json()["name"] as? String == "Общий")
            #expect(try await w.admin.get("/api/v1/segments/\(shared)/members").json()["total"] as? Int == 2)
        }
    }
}
