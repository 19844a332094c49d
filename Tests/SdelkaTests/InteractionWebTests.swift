import Fluent
import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// The interactions workplace in the browser: a call registered from the partner card, a quick
/// reply in its chain, a meeting with a local start time, and a bulk action on ticked rows.
@Suite struct InteractionWebTests {
    @Test(arguments: TestDB.all)
    func aManagerWorksTheJournalFromTheWorkplace(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let romashka = try await admin.partner("Ромашка")
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.get("/interactions/new?type=call&partnerId=\(romashka)")
            #expect(form.status == .ok && form.html.contains("Новый звонок") && form.html.contains("value=\"Ромашка\""))
            let bad = try await browser.submit("/interactions", from: form, ["type": "call", "topic": "Заказ", "incoming": "true", "partnerId": romashka.uuidString])
            #expect(bad.status == .unprocessableEntity && bad.html.contains("Заполните это поле"))
            let saved = try await browser.submit("/interactions", from: form, ["type": "call", "topic": "Заказ", "description": "Клиент просит счет",
                                                                               "incoming": "true", "phone": "+7 900 111-22-33", "partnerId": romashka.uuidString])
            #expect(saved.status == .seeOther)
            let call = try #require(try await Interaction.query(on: app.db).filter(\.$topic == "Заказ").first())
            #expect(call.partnerID == romashka && call.incoming == true && call.subjectID == call.id)
            #expect(try await browser.get("/partners/\(romashka)").html.contains("Заказ"), "the partner card's timeline lists it")

            // A quick reply starts from the call: same partner, "Re:" topic, same chain.
            let reply = try await browser.get("/interactions/new?type=call&basisId=\(call.id!)")
            #expect(reply.html.contains("value=\"Re: Заказ\"") && reply.html.contains("name=\"basisId\""))
            #expect(try await browser.submit("/interactions", from: reply, ["type": "call", "basisId": call.id!.uuidString, "topic": "Re: Заказ",
                                                                            "description": "Выставили счет", "incoming": "false",
                                                                            "partnerId": romashka.uuidString]).status == .seeOther)
            let answer = try #require(try await Interaction.query(on: app.db).filter(\.$topic == "Re: Заказ").first())
            #expect(answer.subjectID == call.id && answer.basisID == call.id)

            // A meeting typed in local time comes back the same in the form.
            let meetingForm = try await browser.get("/interactions/new?type=meeting")
            #expect(try await browser.submit("/interactions", from: meetingForm, ["type": "meeting", "topic": "Встреча", "description": "Презентация",
                                                                                  "start": "2026-11-20T10:00", "partnerId": romashka.uuidString]).status == .seeOther)
            let meeting = try #require(try await Interaction.query(on: app.db).filter(\.$topic == "Встреча").first())
            #expect(try await browser.get("/interactions/\(meeting.id!)").html.contains("value=\"2026-11-20T10:00\""))

            // The workplace: tick two, mark them reviewed.
            let list = try await browser.get("/interactions?reviewed=false")
            #expect(list.html.contains("Re: Заказ") && list.html.contains("Встреча"))
            let done = try await browser.submit("/interactions/bulk", from: list, ["action": "markReviewed", "back": "/interactions?reviewed=false",
                                                                                   "ids.\(call.id!)": "true", "ids.\(answer.id!)": "true"])
            #expect(done.status == .seeOther)
            let left = try await browser.get("/interactions?reviewed=false")
            #expect(!left.html.contains("Re: Заказ") && left.html.contains("Встреча"))
        }
    }
}

/// An incoming call: the number in any format finds the partner or its contact person.
@Suite struct CallerLookupTests {
    @Test(arguments: TestDB.all)
    func anIncomingNumberFindsItsPartner(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("north", role: "manager", groups: [])
            let romashka = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Ромашка", "accessGroupId": south,
                "contacts": [JSONObject(["type": "phone", "kind": "рабочий", "value": "+7 (495) 123-45-67"])]])).decode(PartnerDTO.self).id
            #expect(try await admin.send(.POST, "/api/v1/contact-persons", json: JSONObject([
                "partnerId": romashka.uuidString, "name": "Иванова Анна",
                "contacts": [JSONObject(["type": "phone", "kind": "мобильный", "value": "8-900-555-44-33"])]])).status == .created)
            func caller(_ phone: String, as api: API? = nil) async throws -> [String] {
                try await (api ?? admin).get("/api/v1/interactions/caller?phone=\(phone.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                    .decode(CallerDTO.self).matches.map { [$0.partnerName, $0.contactPersonName].compactMap { $0 }.joined(separator: " / ") }
            }
            #expect(try await caller("8 495 1234567") == ["Ромашка"])
            #expect(try await caller("+79005554433") == ["Ромашка / Иванова Анна"])
            #expect(try await caller("9005554433", as: manager).isEmpty, "a partner outside the manager's groups is not found")
            #expect(try await caller("+7 999 000-00-00").isEmpty)
            #expect(try await admin.get("/api/v1/interactions/caller?phone=12").errorFields == ["phone": "is not a phone number"])

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let found = try await browser.get("/interactions/caller?phone=84951234567")
            #expect(found.html.contains("Ромашка") && found.html.contains("Зарегистрировать звонок"))
            let form = try await browser.get("/interactions/new?type=call&incoming=true&phone=%2B7%20(495)%20123-45-67&partnerId=\(romashka)")
            #expect(form.html.contains("value=\"Ромашка\"") && form.html.contains("value=\"+7 (495) 123-45-67\""))
            let unknown = try await browser.get("/interactions/caller?phone=89990000000")
            #expect(unknown.html.contains("Зарегистрировать нового партнера") && unknown.html.contains("/partners/new?phone=89990000000"))
            // The new-partner form has the number as its first contact and asks where the client came from.
            let newPartner = try await browser.get("/partners/new?phone=89990000000")
            #expect(newPartner.html.contains("value=\"+7 (999) 000-00-00\"") && newPartner.html.contains("Входящий звонок"))
        }
    }

    /// A letter written in the browser with a file goes out over SMTP; a stranger's letter is
    /// listed, and registering the sender as a partner takes the letter along.
    @Test func lettersGoOutWithFilesAndStrangersBecomePartners() async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(.sqlite) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let romashka = try await admin.partner("Ромашка")
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.get("/interactions/new?type=email&partnerId=\(romashka)")
            #expect(form.html.contains("enctype=\"multipart/form-data\"") && form.html.contains("type=\"file\""))
            #expect(form.html.contains("<option value=\"queued\">в очереди на отправку</option>"), "sending is offered with SMTP configured")
            let saved = try await browser.upload("/interactions", from: form, [
                "type": "email", "topic": "Прайс на декабрь", "status": "queued", "to": "buyer@romashka.ru", "bodyText": "Прайс во вложении",
                "partnerId": romashka.uuidString], file: (field: "files", name: "price.csv", content: "sku,price\nA-1,100\n"))
            #expect(saved.status == .seeOther, "\(saved.html.prefix(300))")
            #expect(try await MailSender.tick(app) == 1)
            let raw = try #require(try server.messages().first)
            #expect(raw.contains("filename=\"price.csv\""))
            let letter = try #require(try await Interaction.query(on: app.db).filter(\.$topic == "Прайс на декабрь").first())
            let page = try await browser.get("/interactions/\(letter.id!)")
            #expect(page.html.contains("<option value=\"sent\" selected>отправлено</option>"))
            #expect(page.html.contains("Отправлено: "))
            #expect(page.html.contains("📎 price.csv · 18\u{00A0}Б"))
            let file = try #require(try await InteractionAttachment.query(on: app.db).filter(\.$interactionID == letter.id!).first())
            let download = try await browser.get("/interactions/\(letter.id!)/attachments/\(file.id!)")
            #expect(download.status == .ok && download.html == "sku,price\nA-1,100\n")
            // Saving the form again with another file keeps the first.
            let second = try await browser.upload("/interactions/\(letter.id!)", from: page, [
                "topic": "Прайс на декабрь", "status": "sent", "to": "buyer@romashka.ru", "version": String(letter.version),
                "partnerId": romashka.uuidString], file: (field: "files", name: "terms.csv", content: "x"))
            #expect(second.status == .seeOther, "\(second.html.prefix(300))")
            #expect(try await InteractionAttachment.query(on: app.db).filter(\.$interactionID == letter.id!).sort(\.$position).all().map(\.filename)
                    == ["price.csv", "terms.csv"])

            _ = try await ReceiveMailCommand.receive(try InboundMailTests.fixtureBytes("unknown-sender.eml"), app: app)
            let senders = try await browser.get("/interactions/unknown-senders")
            #expect(senders.html.contains("Пётр Иванов &lt;petr@vektor-pack.ru&gt;") && senders.html.contains("Запрос цен на упаковку"))
            #expect(senders.html.contains("/partners/new?email=petr@vektor-pack.ru&amp;name=%D0%9F%D1%91%D1%82%D1%80%20%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2"))
            let partnerForm = try await browser.get("/partners/new?email=petr@vektor-pack.ru&name=\("Пётр Иванов".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(partnerForm.html.contains("value=\"petr@vektor-pack.ru\"") && partnerForm.html.contains("Входящее письмо"))
            #expect(partnerForm.html.contains("name=\"linkMail\" value=\"petr@vektor-pack.ru\""))
            let created = try await browser.submit("/partners", from: partnerForm, [
                "name": "ООО «Вектор»", "kind": "company", "isClient": "true", "contacts.0.type": "email", "contacts.0.value": "petr@vektor-pack.ru",
                "linkMail": "petr@vektor-pack.ru", "confirmDuplicates": "true"])
            #expect(created.status == .seeOther, "\(created.html.prefix(300))")
            let vektor = try #require(try await Partner.query(on: app.db).filter(\.$name == "ООО «Вектор»").first())
            let mail = try #require(try await Interaction.query(on: app.db).filter(\.$topic == "Запрос цен на упаковку").first())
            #expect(mail.partnerID == vektor.id, "the letter follows the sender to the new partner")
            #expect(try await browser.get("/interactions/unknown-senders").html.contains("Писем от неизвестных отправителей нет."))
        }
    }
}
