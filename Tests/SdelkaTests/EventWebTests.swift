import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

@Suite struct EventWebTests {
    @Test(arguments: TestDB.all)
    func aMarketerPlansAnEventWithParticipantsAndMoney(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.post("/api/v1/partners", ["name": "Ромашка"]).decode(PartnerDTO.self)
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": partner.id.uuidString, "name": "Иванова Анна"]).json()["id"] as! String
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let channelForm = try await browser.get("/channels/new")
            #expect(try await browser.submit("/channels", from: channelForm, ["name": "Выставка"]).status == .seeOther)
            let channel = try #require(try await Sdelka.Channel.query(on: app.db).first())

            let form = try await browser.get("/marketing-events/new")
            #expect(form.status == .ok && form.html.contains("Новое мероприятие"))
            let bad = try await browser.submit("/marketing-events", from: form, [
                "name": "Продэкспо", "plannedStart": "2026-02-13", "plannedEnd": "2026-02-09", "budget": "10,555",
                "participants.0.partnerId": partner.id.uuidString, "participants.0.contactPersonId": UUID().uuidString])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("Не раньше планового начала") && bad.html.contains("Не больше 2 знаков после запятой и меньше триллиона"))
            #expect(bad.html.contains("Это контактное лицо другого партнера"))
            #expect(bad.html.contains("value=\"Ромашка\""), "the participant typed is kept, by name")

            let saved = try await browser.submit("/marketing-events", from: form, [
                "name": "Продэкспо", "kind": "Выставка", "channelId": channel.id!.uuidString,
                "plannedStart": "2026-02-09", "plannedEnd": "2026-02-13", "budget": "1 250 000,50",
                "participants.0.partnerId": partner.id.uuidString, "participants.0.contactPersonId": person,
                "participants.0.role": "Гость", "participants.0.invited": "true", "participants.0.attended": "true"])
            #expect(saved.status == .seeOther, "\(saved.html)")
            let event = try #require(try await MarketingEvent.query(on: app.db).first())
            #expect(event.budgetCents == 125_000_050)
            let card = try await browser.get(saved.location ?? "")
            #expect(card.html.contains("«Продэкспо» создан") && card.html.contains("Иванова Анна"))

            let list = try await browser.get("/marketing-events?from=2026-02-01&to=2026-02-28")
            #expect(list.html.contains("Продэкспо") && list.html.contains("09.02.2026 – 13.02.2026"))
            #expect(list.html.contains("1\u{00A0}250\u{00A0}000,50\u{00A0}₽"), "money in the Russian format")
            #expect(list.html.contains("1 / 1"), "attended of invited")
            let later = try await browser.get("/marketing-events?from=2026-03-01")
            #expect(!later.html.contains("Продэкспо"))
        }
    }

    @Test func aLinkKindNeedsBothDirections() async throws {
        try await withSdelka(.sqlite) { app in
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.get("/partner-link-kinds/new")
            #expect(form.html.contains("Обратная связь"))
            let bad = try await browser.submit("/partner-link-kinds", from: form, ["name": "Головная компания"])
            #expect(bad.status == .unprocessableEntity && bad.html.contains("Заполните это поле"))
            let saved = try await browser.submit("/partner-link-kinds", from: form, ["name": "Головная компания", "reverseName": "Дочерняя компания"])
            #expect(saved.status == .seeOther)
            let list = try await browser.get("/partner-link-kinds")
            #expect(list.html.contains("Головная компания") && list.html.contains("Дочерняя компания"))
        }
    }
}
