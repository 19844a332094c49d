import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

@Suite struct DealWebTests {
    /// A head sets up a sales regulation in the web UI; a manager opens a deal from the
    /// partner's card, meets the checklist, does the work, moves the deal and wins it.
    @Test(arguments: TestDB.all)
    func aDealGoesThroughTheRegulationInTheBrowser(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let channel = try await admin.post("/api/v1/channels", ["name": "Выставка"]).json()["id"] as! String
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let partner = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Ромашка", "accessGroupId": retail, "source": ["channelId": channel]])).decode(PartnerDTO.self)
            _ = try await admin.createUser("sidorova", role: "head")
            _ = try await admin.createUser("petrov", role: "manager", groups: [retail])

            var (head, _) = try await Browser.signedIn(app, "sidorova", "password-sidorova")
            let kindForm = try await head.get("/deal-kinds/new")
            #expect(kindForm.status == .ok && kindForm.html.contains("Новый вид сделок"))
            let wrong = try await head.submit("/deal-kinds", from: kindForm, ["name": "Поставка", "type": "manual", "allowed": "true",
                                                                           "stages.0.name": "Квалификация", "stages.0.checklist.0.text": "Позвонить"])
            #expect(wrong.status == .unprocessableEntity && wrong.html.contains("Контрольные действия бывают только у регламентированных видов сделок"))
            let savedKind = try await head.submit("/deal-kinds", from: kindForm, [
                "name": "Поставка", "type": "process", "allowed": "true",
                "stages.0.name": "Квалификация", "stages.0.checklist.0.text": "Выявить потребность", "stages.0.checklist.0.required": "true",
                "stages.0.checklist.0.dueDays": "2", "stages.1.name": "Предложение", "stages.2.name": "Договор"])
            #expect(savedKind.status == .seeOther, "\(savedKind.html)")
            let kind = try await admin.get("/api/v1/deal-kinds").decode(PageDTO<DealKindDTO>.self).items[0]
            #expect(kind.type == .process && kind.stages.map(\.name) == ["Квалификация", "Предложение", "Договор"])
            #expect(kind.stages[0].checklist?.map { "\($0.text) \($0.required) \($0.dueDays ?? -1)" } == ["Выявить потребность true 2"])

            var (manager, _) = try await Browser.signedIn(app, "petrov", "password-petrov")
            let card = try await manager.get("/partners/\(partner.id)")
            #expect(card.html.contains("/deals/new?partnerId=\(partner.id)"))
            let form = try await manager.get("/deals/new?partnerId=\(partner.id)")
            #expect(form.html.contains("value=\"Ромашка\""), "the partner is filled in")
            #expect(form.html.contains("<option value=\"\(channel)\" selected>Выставка</option>"), "the source comes from the partner's")
            let created = try await manager.submit("/deals", from: form, [
                "name": "Линия розлива", "partnerId": partner.id.uuidString, "kindId": kind.id.uuidString, "potentialAmount": "1 200 000",
                "source.channelId": channel, "managerProbability": "30"])
            #expect(created.status == .seeOther, "\(created.html)")
            let deal = try await admin.get("/api/v1/deals").decode(PageDTO<DealDTO>.self).items[0]
            #expect(deal.potentialAmount == 1_200_000 && deal.source?.channelId.uuidString == channel)

            var page = try await manager.get(created.location ?? "")
            #expect(page.html.contains("№\u{00A0}1 · Линия розлива") && page.html.contains("class=\"step-current\">Квалификация"))
            #expect(page.html.contains("Выявить потребность") && page.html.contains("30\u{00A0}%"))

            var moved = try await manager.submit("/deals/\(deal.id)/stage", from: page, ["stageId": kind.stages[1].id!.uuidString])
            page = try await manager.get(moved.location ?? "")
            #expect(page.html.contains("Этап нельзя покинуть: не выполнены обязательные действия — Выявить потребность"))
            let task = try #require(try await DealTask.query(on: app.db).first())
            let done = try await manager.submit("/deals/\(deal.id)/tasks/\(task.id!)/complete", from: page, [:])
            #expect(done.status == .seeOther)
            moved = try await manager.submit("/deals/\(deal.id)/stage", from: page, ["stageId": kind.stages[1].id!.uuidString])
            page = try await manager.get(moved.location ?? "")
            #expect(page.html.contains("переведена на другой этап") && page.html.contains("class=\"step-current\">Предложение"))
            #expect(page.html.contains("1\u{00A0}/\u{00A0}1</span>"), "the checklist heading says how much is done")
            #expect(page.html.contains("Статистика по этапам") && page.html.contains("Пройден"))

            let board = try await manager.get("/deals/board?kindId=\(kind.id)")
            #expect(board.status == .ok && board.html.contains("Линия розлива") && board.html.contains("1\u{00A0}200\u{00A0}000,00\u{00A0}₽"))
            let list = try await manager.get("/deals?status=open")
            #expect(list.html.contains("Линия розлива") && list.html.contains("Предложение") && list.html.contains("В работе"))
            let byStage = try await manager.get("/deals?kindId=\(kind.id)&stageId=\(kind.stages[1].id!)&partnerId=\(partner.id)")
            #expect(byStage.html.contains("Линия розлива") && byStage.html.contains("Партнер: Ромашка"), "narrowed to the partner, with a way back")
            #expect(byStage.html.contains("<option value=\"\(kind.stages[1].id!)\" selected>Предложение</option>"), "the kind's stages to filter by")
            let otherStage = try await manager.get("/deals?kindId=\(kind.id)&stageId=\(kind.stages[2].id!)")
            #expect(!otherStage.html.contains("Линия розлива"))

            let noReason = try await manager.submit("/deals/\(deal.id)/lose", from: page, ["lossReasonId": ""])
            page = try await manager.get(noReason.location ?? "")
            #expect(page.html.contains("Обязательно: укажите, почему сделка проиграна"))
            let won = try await manager.submit("/deals/\(deal.id)/win", from: page, [:])
            page = try await manager.get(won.location ?? "")
            #expect(page.html.contains("Сделка «Линия розлива» выиграна.") && page.html.contains("class=\"step-won\">Предложение"))
            #expect(try await admin.get("/api/v1/deals/\(deal.id)").decode(DealDTO.self).status == .won)
        }
    }

    @Test(arguments: TestDB.all)
    func theBoardMovesCardsAndTheTaskListIsTheUsersOwn(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (_, managerID) = try await admin.createUser("petrov", role: "manager")
            let kind = try await admin.dealKind("Опт", type: "process", stages: ["Интерес", "Договор"], checklists: [
                [JSONObject(["text": "Отправить прайс", "required": false, "dueDays": 0])]])
            let partner = try await admin.partner("Ромашка")
            let mine = try await admin.deal("Моя сделка", partner: partner, kind: kind, ["responsibleId": managerID, "potentialAmount": 100])
            _ = try await admin.deal("Сделка администратора", partner: partner, kind: kind, ["potentialAmount": 250])

            // The same board as data: every stage, the count and potential of its open deals, the cards.
            let data = try await admin.get("/api/v1/deals/board?kindId=\(kind.id)").json()
            let columns = try #require(data["columns"] as? [[String: Any]])
            #expect(columns.map { $0["name"] as? String } == ["Интерес", "Договор"])
            #expect(columns.map { $0["count"] as? Int } == [2, 0] && columns.first?["potentialAmount"] as? Double == 350)
            let cards = try #require(columns.first?["deals"] as? [[String: Any]])
            #expect(cards.map { $0["name"] as? String } == ["Сделка администратора", "Моя сделка"], "newest first")
            #expect(cards.allSatisfy { $0["daysInStage"] as? Int == 0 && $0["probability"] as? Double == 0 })
            #expect(try await admin.get("/api/v1/deals/board").errorFields == ["kindId": "is required"])

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            var board = try await browser.get("/deals/board?kindId=\(kind.id)")
            #expect(board.html.contains("Моя сделка") && board.html.contains("350,00\u{00A0}₽"), "the column sums every open deal")
            #expect(board.html.contains("id=\"board-move\"") && board.html.contains("data-stage=\"\(kind.stages[1].id!)\""),
                    "a drop posts the board's move form with the column's stage")
            let moved = try await browser.submit("/deals/\(mine.id)/stage", from: board, [
                "stageId": kind.stages[1].id!.uuidString, "back": "/deals/board?kindId=\(kind.id)"])
            #expect(moved.location == "/deals/board?kindId=\(kind.id)")
            #expect(try await admin.get("/api/v1/deals/\(mine.id)").decode(DealDTO.self).stageId == kind.stages[1].id)
            board = try await browser.get(moved.location ?? "")
            #expect(board.html.contains("переведена на другой этап"))

            // The admin's own list is empty; Petrov's has the price list task of his deal.
            let own = try await browser.get("/tasks")
            #expect(own.html.contains("Открытых задач нет"))
            let his = try await browser.get("/tasks?responsibleId=\(managerID)")
            #expect(his.html.contains("Отправить прайс") && his.html.contains("Моя сделка"))

            // With stages switched off, the board and the stage move are gone from the web as from the API.
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["dealStages"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            #expect(try await browser.get("/deals/board?kindId=\(kind.id)").status == .notFound)
            let refused = try await browser.submit("/deals/\(mine.id)/stage", from: his, ["stageId": kind.stages[0].id!.uuidString])
            #expect(refused.status == .notFound)
            #expect(try await admin.get("/api/v1/deals/\(mine.id)").decode(DealDTO.self).stageId == kind.stages[1].id, "nothing moved")
        }
    }
}
