import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Mailings as a user works with them in the browser, in Russian: a topic, a mailing written in
/// the form, its preview, scheduling, the recipients on its card, a partner's subscriptions,
/// and the recipient's own unsubscribe page.
@Suite struct MailingWebTests {
    @Test func aMailingIsWrittenPreviewedAndSentFromItsCard() async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(.sqlite) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let anna = try await MailingTests.client(admin, "Анна", email: "anna@example.ru")
            _ = try await admin.patch("/api/v1/partners/\(anna)", ["code": "A-1", "version": 1])
            let boris = try await MailingTests.client(admin, "Борис", email: nil)
            _ = try await admin.patch("/api/v1/partners/\(boris)", ["code": "B-2", "version": 1])
            var (browser, desktop) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(desktop.html.contains("href=\"/mailings\""))

            let topicForm = try await browser.get("/mailing-topics/new")
            #expect(topicForm.html.contains("Можно отписаться"))
            #expect(try await browser.submit("/mailing-topics", from: topicForm, ["name": "Акции", "unsubscribable": "true"]).status == .seeOther)
            let service = try await browser.submit("/mailing-topics", from: topicForm, ["name": "Сервис"])
            #expect(service.status == .seeOther)
            let topics = try await admin.get("/api/v1/mailing-topics").decode(PageDTO<CatalogDTO>.self).items
            #expect(topics.map(\.unsubscribable) == [true, false], "a cleared box makes a service topic")
            let topic = try #require(topics.first)

            let blank = try await browser.get("/mailings/new")
            #expect(blank.status == .ok && blank.html.contains("{{partner.name}}"))
            let typo = try await browser.submit("/mailings", from: blank, ["name": "Осень", "topicId": topic.id.uuidString, "channel": "email",
                                                                           "mode": "planned", "subject": "{{partner.nmae}}", "text": "Текст", "whom": "partner"])
            #expect(typo.status == .unprocessableEntity && typo.html.contains("Неизвестные подстановки: {{partner.nmae}}"))
            let saved = try await browser.submit("/mailings", from: blank, [
                "name": "Осень", "topicId": topic.id.uuidString, "channel": "email", "mode": "planned", "subject": "{{partner.name}}, осенние цены",
                "text": "Здравствуйте!", "partnerCodes": "A-1\nB-2", "whom": "partner"])
            #expect(saved.status == .seeOther, "\(saved.html)")
            let location = try #require(saved.location)
            let preview = try await browser.get(location + "/preview?partnerCode=A-1")
            #expect(preview.html.contains("Анна, осенние цены") && preview.html.contains("Нет адреса"), "\(preview.html)")
            let card = try await browser.get(location)
            #expect(try await browser.submit(location + "/schedule", from: card, [:]).status == .seeOther)
            try await MailingTests.send(app)
            #expect(try server.messages().count == 1)
            let sent = try await browser.get(location)
            #expect(sent.html.contains("Выполнена") && sent.html.contains("anna@example.ru") && sent.html.contains("Нет адреса"))

            // Her subscriptions on the partner card: clearing the box unsubscribes; the service topic stays locked.
            let partnerCard = try await browser.get("/partners/\(anna)")
            #expect(partnerCard.html.contains("Подписки на рассылки") && partnerCard.html.contains("disabled"))
            let kept = try await browser.submit("/partners/\(anna)/subscriptions", from: partnerCard, [:])
            #expect(kept.status == .seeOther)
            let subs = try await admin.get("/api/v1/partners/\(anna)/subscriptions").decode([SubscriptionDTO].self)
            #expect(subs.map(\.subscribed) == [false, true], "Акции off, Сервис untouched")
            #expect(try await admin.get("/api/v1/audit?objectType=partner&objectId=\(anna)").text.contains("subscription «Акции» anna@example.ru"))

            // The recipient's page, in a browser without a session: opening it changes nothing; the button does.
            _ = try await admin.put("/api/v1/partners/\(anna)/subscriptions", [JSONObject(["address": "anna@example.ru", "topicId": topic.id.uuidString, "subscribed": true])])
            let letter = try #require(try server.messages().first)
            let token = try #require(MailingTests.unsubscribeToken(letter))
            var stranger = Browser(app: app)
            let page = try await stranger.get("/u/\(token)")
            #expect(page.status == .ok && page.html.contains("anna@example.ru") && page.html.contains("Акции") && !page.html.contains("Сервис"))
            #expect(try await admin.get("/api/v1/partners/\(anna)/subscriptions").decode([SubscriptionDTO].self).map(\.subscribed) == [true, true])
            let done = try await stranger.send(.POST, "/u/\(token)", form: ["topic_\(topic.id.uuidString)": "on"])
            #expect(done.status == .ok && done.html.contains("больше не пришлём"))
            #expect(try await admin.get("/api/v1/partners/\(anna)/subscriptions").decode([SubscriptionDTO].self).map(\.subscribed) == [false, true])
        }
    }
}
