import Foundation
import Testing
import Vapor
@testable import Sdelka
import SdelkaCore

@Suite struct DealChecklistTests {
    func processKind(_ admin: API) async throws -> DealKindDTO {
        try await admin.dealKind("Поставка оборудования", type: "process", stages: ["Квалификация", "Предложение", "Договор"], checklists: [
            [JSONObject(["text": "Выявить потребность", "required": true, "dueDays": 2]),
             JSONObject(["text": "Отправить каталог", "required": false])],
            [JSONObject(["text": "Согласовать КП", "required": true])],
        ])
    }

    struct Tasks: Decodable {
        var items: [DealTaskDTO]
        var total: Int
    }

    @Test(arguments: TestDB.all)
    func aRequiredActionBlocksTheWayForwardUntilDoneOrAHeadOverrides(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await processKind(admin)
            #expect(kind.stages[0].checklist?.map(\.text) == ["Выявить потребность", "Отправить каталог"])
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let (manager, managerID) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let (head, headID) = try await admin.createUser("sidorova", role: "head")
            let client = try await admin.partner("Ромашка", group: retail)
            let deal = try await manager.deal("Линия розлива", partner: client, kind: kind, ["responsibleId": managerID])

            // The first stage's checklist became the responsible's tasks, due two days on.
            let today = CalendarDate(Date(), in: app.sdelka.timeZone)
            var tasks = try await manager.get("/api/v1/tasks?responsibleId=\(managerID)").decode(Tasks.self)
            #expect(tasks.items.map(\.text) == ["Выявить потребность", "Отправить каталог"])
            #expect(tasks.items.map(\.dueDate) == [today.adding(days: 2).description, nil])
            #expect(try await manager.get("/api/v1/tasks?responsibleId=\(managerID)&due=\(today)").decode(Tasks.self).total == 0)

            let blocked = try await manager.stage(deal, kind.stages[1])
            #expect(blocked.status == .conflict && blocked.errorCode == "checklist_incomplete")
            #expect(blocked.text.contains("Выявить потребность") && !blocked.text.contains("Отправить каталог"))
            // Skipping over «Предложение» is blocked by its required action as well.
            let skipping = try await manager.stage(deal, kind.stages[2])
            #expect(skipping.errorCode == "checklist_incomplete" && skipping.text.contains("Согласовать КП"))

            let done = try await manager.post("/api/v1/tasks/\(tasks.items[0].id)/complete").decode(DealTaskDTO.self)
            #expect(done.done && done.doneBy?.uuidString == managerID && done.doneAt != nil)
            let moved = try await manager.stage(deal, kind.stages[1])
            #expect(moved.status == .ok, "\(moved.text)")
            tasks = try await manager.get("/api/v1/tasks?responsibleId=\(managerID)").decode(Tasks.self)
            #expect(tasks.items.map(\.text) == ["Отправить каталог", "Согласовать КП"], "the optional action stays open")

            // A manager cannot override; a head can, and the override is recorded on the stage left.
            let refused = try await manager.stage(deal, kind.stages[2], override: true)
            #expect(refused.status == .forbidden)
            let forced = try await head.stage(deal, kind.stages[2], override: true)
            #expect(forced.status == .ok, "\(forced.text)")
            let rows = try await admin.stageRows(deal)
            #expect(rows.map { $0.override?.userId.uuidString } == [nil, headID, nil])
            let audit = try await admin.get("/api/v1/audit?objectId=\(deal.id)").text
            #expect(audit.contains("checklistOverride") && audit.contains("Согласовать КП"))

            // Back to the first stage: the later stage's open task goes, the done one stays done.
            _ = try await manager.stage(deal, kind.stages[0])
            let all = try await manager.get("/api/v1/tasks?dealId=\(deal.id)").decode(Tasks.self)
            #expect(all.items.map { "\($0.text) \($0.done)" } == ["Выявить потребность true", "Отправить каталог false"])
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerNeitherSeesNorMovesDealsOfHiddenPartners(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "Договор"])
            let own = try await admin.deal("Своя", partner: try await admin.partner("Ромашка", group: retail), kind: kind)
            let hidden = try await admin.deal("Чужая", partner: try await admin.partner("Лютик", group: wholesale), kind: kind)

            let listed = try await manager.get("/api/v1/deals").decode(PageDTO<DealDTO>.self)
            #expect(listed.items.map(\.id) == [own.id] && listed.total == 1)
            #expect(try await manager.get("/api/v1/deals/\(hidden.id)").status == .notFound)
            #expect(try await manager.stage(hidden, kind.stages[1]).status == .notFound)
            #expect(try await manager.post("/api/v1/deals/\(hidden.id)/win").status == .notFound)
            #expect(try await manager.patch("/api/v1/deals/\(hidden.id)", ["name": "Моя"]).status == .notFound)
            #expect(try await manager.get("/api/v1/deals?q=чужая").decode(PageDTO<DealDTO>.self).total == 0)
            let foreign = try await manager.send(.POST, "/api/v1/deals", json: JSONObject([
                "name": "Новая", "partnerId": hidden.partnerId.uuidString, "kindId": kind.id.uuidString]))
            #expect(foreign.errorFields == ["partnerId": "names a partner that does not exist"])
            #expect(try await admin.get("/api/v1/deals/\(hidden.id)").decode(DealDTO.self).stageId == kind.stages[0].id, "nothing moved")
        }
    }

    @Test(arguments: TestDB.all)
    func editsCheckVersionsAndSwitchesHideTheParts(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "Договор"])
            let deal = try await admin.deal("Поставка", partner: try await admin.partner("Ромашка"), kind: kind)
            let edited = try await admin.patch("/api/v1/deals/\(deal.id)", ["version": 1, "potentialAmount": 1000, "managerProbability": 40])
            #expect(edited.status == .ok)
            let stale = try await admin.patch("/api/v1/deals/\(deal.id)", ["version": 1, "name": "Другое"])
            #expect(stale.status == .conflict && stale.errorCode == "version_conflict")
            #expect(try await admin.stageRows(deal).first?.potential == 1000, "the open row follows the potential")
            let bad = try await admin.send(.POST, "/api/v1/deals", json: JSONObject([
                "partnerId": UUID().uuidString, "kindId": kind.id.uuidString, "potentialAmount": -5, "managerProbability": 120,
                "startDate": "2026-13-01", "currency": "рубли"]))
            #expect(bad.errorFields == ["name": "is required", "potentialAmount": "must not be negative",
                                        "managerProbability": "must be between 0 and 100", "startDate": "must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30",
                                        "currency": "must be a three-letter code such as RUB",
                                        "partnerId": "names a partner that does not exist"])
            let noStages = try await admin.send(.POST, "/api/v1/deal-kinds", json: JSONObject(["name": "Без этапов", "type": "manual"]))
            #expect(noStages.errorFields == ["stages": "needs at least one stage unless the kind is free"])
            let dropReached = try await admin.send(.PATCH, "/api/v1/deal-kinds/\(kind.id)", json: JSONObject([
                "stages": [JSONObject(["id": kind.stages[1].id!.uuidString, "name": "Договор"])]]))
            #expect(dropReached.errorFields == ["stages": "deals have reached these stages, so they cannot be dropped: Интерес"])

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["dealStages"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            #expect(try await admin.stage(deal, kind.stages[1]).errorCode == "feature_disabled")
            #expect(try await admin.get("/api/v1/deals/\(deal.id)").status == .ok)
            features["deals"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            for path in ["/api/v1/deals", "/api/v1/deal-kinds", "/api/v1/loss-reasons", "/api/v1/tasks"] {
                #expect(try await admin.get(path).errorCode == "feature_disabled", "\(path)")
            }
        }
    }
}

@Suite struct DealParticipantAccessTests {
    /// A participant from an access group the manager lacks (a competitor, say) is neither
    /// shown to the manager nor lost when the manager saves the participant list.
    @Test(arguments: TestDB.all)
    func hiddenParticipantsAreNeitherShownNorDropped(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let kind = try await admin.dealKind("Опт", type: "free", stages: [])
            let client = try await admin.partner("Ромашка", group: retail)
            let colleague = try await admin.partner("Лютик", group: retail)
            let rival = try await admin.partner("Конкурент без группы")
            let deal = try await admin.deal("Поставка", partner: client, kind: kind, ["participants": [
                JSONObject(["partnerId": rival.uuidString, "role": "competitor"])]])

            let seen = try await manager.get("/api/v1/deals/\(deal.id)").decode(DealDTO.self)
            #expect(seen.participants.isEmpty, "the competitor outside the manager's groups is not shown")
            let saved = try await manager.send(.PATCH, "/api/v1/deals/\(deal.id)", json: JSONObject([
                "participants": [JSONObject(["partnerId": colleague.uuidString, "role": "Соисполнитель"])]]))
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(try saved.decode(DealDTO.self).participants.map(\.partnerId) == [colleague])
            let all = try await admin.get("/api/v1/deals/\(deal.id)").decode(DealDTO.self)
            #expect(all.participants.map(\.partnerId) == [colleague, rival], "the hidden participant survives the manager's edit")
        }
    }
}
