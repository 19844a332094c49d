import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Mailings (DOMAIN.md §7) sent for real: the letters reach the SMTP server the test starts,
/// and what arrived is what a recipient would see.
@Suite struct MailingTests {
    static func topic(_ api: API, _ name: String = "Акции", unsubscribable: Bool = true) async throws -> String {
        let reply = try await api.post("/api/v1/mailing-topics", ["name": name, "unsubscribable": unsubscribable])
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.json()["id"] as! String
    }

    static func client(_ api: API, _ name: String, email: String?, group: String? = nil) async throws -> UUID {
        var body: [String: any Encodable & Sendable] = ["name": name, "isClient": true]
        if let email { body["contacts"] = [JSONObject(["type": "email", "kind": "work", "value": email])] }
        if let group { body["accessGroupId"] = group }
        let reply = try await api.post("/api/v1/partners", body)
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(PartnerDTO.self).id
    }

    static func mailing(_ api: API, _ fields: [String: any Encodable & Sendable]) async throws -> MailingDTO {
        let reply = try await api.send(.POST, "/api/v1/mailings", json: JSONObject(fields))
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(MailingDTO.self)
    }

    /// Runs the server's part until nothing is left to hand on or send.
    static func send(_ app: Application, now: Date = Date(), limit: Int? = nil) async throws {
        try await MailingDispatcher.tick(app, now: now, limit: limit)
        while try await MailSender.tick(app, now: now) > 0 {}
        try await MailingDispatcher.tick(app, now: now, limit: 0)
    }

    static func recipients(_ api: API, _ id: UUID, _ query: String = "") async throws -> [MailingRecipientDTO] {
        try await api.get("/api/v1/mailings/\(id)/recipients?per=500\(query)").decode(PageDTO<MailingRecipientDTO>.self).items
    }

    static func headers(_ raw: String) -> String { raw.components(separatedBy: "\r\n\r\n")[0] }

    static func subject(_ raw: String) -> String {
        MIMEEncoding.decodeHeader(MIMEHeaders(headers(raw))["Subject"] ?? "")
    }

    static func unsubscribeToken(_ raw: String) -> String? {
        guard let header = MIMEHeaders(headers(raw))["List-Unsubscribe"], let range = header.range(of: "/u/") else { return nil }
        return String(header[range.upperBound...].prefix { $0 != ">" })
    }

    @Test(arguments: TestDB.all)
    func aPlannedMailingToASegmentSendsOneLetterPerAddressWithUnsubscribeHeaders(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin)
            var partners: [UUID] = []
            for index in 0..<50 {
                // The last two share an address: it gets one letter.
                let email = index == 49 ? "client48@example.ru" : "client\(index)@example.ru"
                partners.append(try await Self.client(admin, "Клиент \(String(format: "%02d", index))", email: email))
            }
            let segment = try await admin.post("/api/v1/segments", ["name": "Все клиенты", "kind": "manual"])
            let segmentID = try segment.json()["id"] as! String
            #expect(try await admin.post("/api/v1/segments/\(segmentID)/members", ["partnerIds": partners.map(\.uuidString)]).status == .ok)
            // Client 03 unsubscribed from the topic before.
            let unsubscribed = try await admin.put("/api/v1/partners/\(partners[3])/subscriptions",
                                                   [JSONObject(["address": "Client3@Example.ru", "topicId": topic, "subscribed": false])])
            #expect(unsubscribed.status == .ok, "\(unsubscribed.text)")
            let m = try await Self.mailing(admin, [
                "name": "Весенняя акция", "channel": "email", "topicId": topic, "subject": "{{partner.name}}: скидка 10 %",
                "text": "Здравствуйте, {{contact.name}}!\nВаш менеджер — {{manager.name}}.\nОтписаться: {{unsubscribe.link}}",
                "html": "<p>Здравствуйте, {{contact.name}}!</p>",
                "audience": JSONObject(["segmentId": segmentID, "whom": "partner"]),
                "attachments": [JSONObject(["filename": "Прайс-лист.pdf", "contentType": "application/pdf",
                                            "content": Data("%PDF-1.4 прайс".utf8).base64EncodedString()])],
            ])
            #expect(m.attachments.map(\.filename) == ["Прайс-лист.pdf"])
            let preview = try await admin.send(.POST, "/api/v1/mailings/\(m.id)/preview", json: JSONObject(["partnerId": partners[7].uuidString]))
                .decode(MailingPreviewDTO.self)
            #expect(preview.recipients == 48)
            #expect(Set(preview.excluded.map(\.reason)) == [.unsubscribed, .duplicateAddress])
            #expect(preview.excluded.first { $0.reason == .unsubscribed }?.address == "client3@example.ru")
            #expect(preview.sample?.subject == "Клиент 07: скидка 10 %")
            #expect(preview.sample?.text.hasPrefix("Здравствуйте, Клиент 07!\nВаш менеджер — Administrator.") == true, "\(preview.sample?.text ?? "")")

            let scheduled = try await admin.post("/api/v1/mailings/\(m.id)/schedule?version=\(m.version)")
            #expect(scheduled.status == .ok, "\(scheduled.text)")
            #expect(try scheduled.decode(MailingDTO.self).status == .scheduled)
            try await Self.send(app)

            let letters = try server.messages()
            #expect(letters.count == 48)
            let envelopes = try server.envelopes()
            #expect(envelopes.allSatisfy { $0.count == 2 }, "one recipient per letter")
            #expect(Set(envelopes.map { $0[1] }).count == 48, "each address once")
            #expect(!envelopes.contains { $0[1] == "client3@example.ru" })
            let seventh = try #require(letters.first { Self.subject($0) == "Клиент 07: скидка 10 %" })
            let parsed = try ParsedMail(Array(seventh.utf8))
            let token = try #require(Self.unsubscribeToken(seventh))
            #expect(parsed.text == "Здравствуйте, Клиент 07!\nВаш менеджер — Administrator.\nОтписаться: http://127.0.0.1/u/\(token)")
            #expect(parsed.html == "<p>Здравствуйте, Клиент 07!</p>")
            #expect(parsed.attachments.map(\.filename) == ["Прайс-лист.pdf"])
            #expect(parsed.attachments.first?.data == Array("%PDF-1.4 прайс".utf8))
            let head = Self.headers(seventh)
            #expect(head.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"))
            #expect(head.contains("<mailto:crm@sdelka.test?subject=unsubscribe%20\(token)>"), "\(head)")

            let done = try await admin.get("/api/v1/mailings/\(m.id)").decode(MailingDTO.self)
            #expect(done.status == .done)
            #expect(done.stats == MailingStatsDTO(recipients: 50, sent: 48, failed: 0, skipped: 2, queued: 0))
            let rows = try await Self.recipients(admin, m.id)
            #expect(rows.filter { $0.status == .sent }.allSatisfy { $0.interactionId != nil })
            #expect(Set(rows.compactMap(\.reason)) == ["unsubscribed", "duplicateAddress"])
            // Every letter is an e-mail in its partner's history, its subject the mailing.
            let history = try await admin.get("/api/v1/interactions?subjectType=mailing&subjectId=\(m.id)&per=1").json()
            #expect(history["total"] as? Int == 48)
            let timeline = try await admin.get("/api/v1/interactions?partnerId=\(partners[7])").decode(PageDTO<InteractionDTO>.self).items
            #expect(timeline.map(\.topic) == ["Клиент 07: скидка 10 %"])
            #expect(timeline.first?.status == .sent && timeline.first?.type == .email)
            let results = try await admin.get("/api/v1/reports/mailings/\(m.id)").decode(MailingResultsDTO.self)
            #expect(results.sent == 48 && results.skippedByReason == ["unsubscribed": 1, "duplicateAddress": 1])
        }
    }

    @Test(arguments: TestDB.all)
    func oneClickUnsubscribeNeedsNoSessionAndOnlyItsOwnToken(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin)
            let anna = try await Self.client(admin, "Анна", email: "anna@example.ru")
            let boris = try await Self.client(admin, "Борис", email: "boris@example.ru")
            let fields: [String: any Encodable & Sendable] = ["name": "Новости", "topicId": topic, "subject": "Новости", "text": "Текст",
                                                              "audience": JSONObject(["partnerIds": [anna.uuidString, boris.uuidString]])]
            let first = try await Self.mailing(admin, fields)
            _ = try await admin.post("/api/v1/mailings/\(first.id)/schedule")
            try await Self.send(app)
            let letter = try #require(try server.messages().first { $0.contains("anna@example.ru") })
            let token = try #require(Self.unsubscribeToken(letter))

            let stranger = API(app: app, token: nil)
            let wrong = try await stranger.send(.POST, "/u/\(token.dropLast())x", raw: "List-Unsubscribe=One-Click", contentType: .urlEncodedForm)
            #expect(wrong.status == .notFound)
            let page = try await stranger.get("/u/\(token)")
            #expect(page.status == .ok && page.text.contains("anna@example.ru"))
            let oneClick = try await stranger.send(.POST, "/u/\(token)", raw: "List-Unsubscribe=One-Click", contentType: .urlEncodedForm)
            #expect(oneClick.status == .ok, "\(oneClick.text)")

            let annas = try await admin.get("/api/v1/partners/\(anna)/subscriptions").decode([SubscriptionDTO].self)
            #expect(annas == [SubscriptionDTO(address: "anna@example.ru", topicId: UUID(uuidString: topic)!, subscribed: false, unsubscribable: true)])
            let boriss = try await admin.get("/api/v1/partners/\(boris)/subscriptions").decode([SubscriptionDTO].self)
            #expect(boriss.map(\.subscribed) == [true])
            let audit = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(anna)").text
            #expect(audit.contains("subscription «Акции» anna@example.ru"))
            #expect(try await admin.get("/api/v1/reports/mailings/\(first.id)").decode(MailingResultsDTO.self).unsubscribedAfter == 1)

            // Boris answers his letter: the reply threads into the mailing. Then he writes to the
            // mailto of List-Unsubscribe from his own address; a stranger with his token cannot.
            let borisLetter = try #require(try server.messages().first { $0.contains("boris@example.ru") })
            let borisID = try #require(MIMEHeaders(Self.headers(borisLetter))["Message-ID"])
            let borisToken = try #require(Self.unsubscribeToken(borisLetter))
            let reply = "From: Boris <boris@example.ru>\r\nTo: crm@sdelka.test\r\nSubject: Re: Новости\r\nMessage-ID: <re-1@example.ru>\r\n"
                + "In-Reply-To: \(borisID)\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nСпасибо, интересно.\r\n"
            #expect(try await admin.send(.POST, "/api/v1/inbound/email", raw: reply, contentType: .plainText).status == .created)
            #expect(try await admin.get("/api/v1/reports/mailings/\(first.id)").decode(MailingResultsDTO.self).replies == 1)
            let forged = "From: Mallory <mallory@example.ru>\r\nTo: crm@sdelka.test\r\nSubject: unsubscribe \(borisToken)\r\n"
                + "Message-ID: <u-1@example.ru>\r\n\r\n.\r\n"
            #expect(try await admin.send(.POST, "/api/v1/inbound/email", raw: forged, contentType: .plainText).status == .created)
            #expect(try await admin.get("/api/v1/partners/\(boris)/subscriptions").decode([SubscriptionDTO].self).map(\.subscribed) == [true])
            let own = "From: Boris <boris@example.ru>\r\nTo: crm@sdelka.test\r\nSubject: unsubscribe \(borisToken)\r\n"
                + "Message-ID: <u-2@example.ru>\r\n\r\n.\r\n"
            #expect(try await admin.send(.POST, "/api/v1/inbound/email", raw: own, contentType: .plainText).status == .created)
            #expect(try await admin.get("/api/v1/partners/\(boris)/subscriptions").decode([SubscriptionDTO].self).map(\.subscribed) == [false])
            _ = try await admin.put("/api/v1/partners/\(boris)/subscriptions", [JSONObject(["address": "boris@example.ru", "topicId": topic, "subscribed": true])])

            // The next mailing of the topic skips her, saying why.
            let second = try await Self.mailing(admin, fields)
            _ = try await admin.post("/api/v1/mailings/\(second.id)/schedule")
            try await Self.send(app)
            let rows = try await Self.recipients(admin, second.id)
            #expect(rows.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.sent, .skipped])
            #expect(rows.first { $0.partnerId == anna }?.reason == "unsubscribed")
        }
    }

    @Test(arguments: TestDB.all)
    func anEventMailingOnADealWonSendsOnceWhenTwoSendersRunAtOnce(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin, "Сервисные уведомления", unsubscribable: false)
            let kind = try await admin.dealKind("Продажа", type: "manual", stages: ["Переговоры"])
            let client = try await Self.client(admin, "ООО «Ромашка»", email: "buy@romashka.ru")
            let me = try await admin.get("/api/v1/me").decode(UserDTO.self)
            #expect(try await admin.patch("/api/v1/me", ["phone": "+7 495 123-45-67", "version": me.version]).status == .ok)
            let m = try await Self.mailing(admin, ["name": "Спасибо за сделку", "topicId": topic, "mode": "event",
                                                   "subject": "Сделка «{{deal.name}}» закрыта", "text": "Сумма: {{deal.amount}}. Ваш менеджер: {{manager.name}}, {{manager.phone}}",
                                                   "trigger": JSONObject(["event": "dealWon", "dealKindId": kind.id.uuidString]),
                                                   "audience": JSONObject(["whom": "partner"])])
            let active = try await admin.post("/api/v1/mailings/\(m.id)/schedule")
            #expect(try active.decode(MailingDTO.self).status == .active, "\(active.text)")
            let deal = try await admin.deal("Поставка бумаги", partner: client, kind: kind, ["potentialAmount": 125000.5])
            #expect(try await admin.post("/api/v1/deals/\(deal.id)/win").status == .ok)
            let later = Date().addingTimeInterval(1)
            async let one = MailingDispatcher.tick(app, now: later)
            async let two = MailingDispatcher.tick(app, now: later)
            let (a, b) = try await (one, two)
            #expect(a.occurrences + b.occurrences == 1)
            while try await MailSender.tick(app, now: later) > 0 {}
            try await MailingDispatcher.tick(app, now: later.addingTimeInterval(5))
            while try await MailSender.tick(app, now: later.addingTimeInterval(5)) > 0 {}
            let letters = try server.messages()
            #expect(letters.count == 1)
            #expect(letters.first.map(Self.subject) == "Сделка «Поставка бумаги» закрыта")
            #expect(try ParsedMail(Array((letters.first ?? "").utf8)).text == "Сумма: 125\u{00A0}000,50\u{00A0}₽. Ваш менеджер: Administrator, +7 495 123-45-67")
            #expect(letters.first.map { Self.headers($0).contains("List-Unsubscribe") } == false, "a service notice cannot be left")
            let rows = try await Self.recipients(admin, m.id)
            #expect(rows.count == 1 && rows.first?.occurrence == "dealWon:" + deal.id.uuidString)
        }
    }

    @Test(arguments: TestDB.all)
    func birthdaysAreGreetedOnTheMoscowDate(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin, "Поздравления")
            let partner = try await Self.client(admin, "ООО «Ландыш»", email: nil)
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": partner.uuidString, "name": "Петрова Мария Ивановна",
                "birthDate": "1990-03-15", "contacts": [JSONObject(["type": "email", "kind": "work", "value": "maria@landysh.ru"])]])
            #expect(person.status == .created, "\(person.text)")
            let m = try await Self.mailing(admin, ["name": "С днём рождения", "topicId": topic, "mode": "event",
                                                   "subject": "С днём рождения, {{contact.firstName}}!", "text": "Поздравляем!",
                                                   "trigger": JSONObject(["event": "birthday", "delayMinutes": 540])])
            _ = try await admin.post("/api/v1/mailings/\(m.id)/schedule")
            let rule = try #require(try await Mailing.find(m.id, on: app.db))
            rule.activeSince = ISO8601DateFormatter().date(from: "2027-03-14T00:00:00Z")
            try await rule.update(on: app.db)
            // 23:30 in Moscow on 14 March: not yet her birthday.
            let before = try #require(ISO8601DateFormatter().date(from: "2027-03-14T20:30:00Z"))
            #expect(try await MailingDispatcher.tick(app, now: before).occurrences == 0)
            // 00:30 on 15 March in Moscow (still the 14th in UTC): her day; the letter waits for 9:00.
            let after = try #require(ISO8601DateFormatter().date(from: "2027-03-14T21:30:00Z"))
            #expect(try await MailingDispatcher.tick(app, now: after).occurrences == 1)
            #expect(try await MailingDispatcher.tick(app, now: after.addingTimeInterval(60)).occurrences == 0, "once a day")
            let rows = try await Self.recipients(admin, m.id)
            #expect(rows.map(\.occurrence) == ["birthday:2027-03-15:" + (try #require(person.json()["id"] as? String)).uppercased()])
            #expect(rows.first?.dueAt == ISO8601DateFormatter().date(from: "2027-03-15T06:00:00Z"), "9:00 in Moscow")
            #expect(rows.first?.status == .queued && rows.first?.interactionId == nil)
            let nine = try #require(ISO8601DateFormatter().date(from: "2027-03-15T06:00:01Z"))
            try await Self.send(app, now: nine)
            #expect(try server.messages().map(Self.subject) == ["С днём рождения, Мария!"])
        }
    }

    @Test(arguments: TestDB.all)
    func validUntilDropsWhatWasNotSentInTime(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin)
            var partners: [String] = []
            for index in 0..<5 { partners.append(try await Self.client(admin, "Клиент \(index)", email: "c\(index)@example.ru").uuidString) }
            let now = Date(), iso = ISO8601DateFormatter()
            let m = try await Self.mailing(admin, ["name": "Распродажа до полудня", "topicId": topic, "subject": "Распродажа", "text": "Только сегодня",
                                                   "sendAt": iso.string(from: now.addingTimeInterval(-60)), "validUntil": iso.string(from: now.addingTimeInterval(3600)),
                                                   "audience": JSONObject(["partnerIds": partners])])
            _ = try await admin.post("/api/v1/mailings/\(m.id)/schedule")
            // The rate lets two go now; the rest wait past "valid until".
            try await Self.send(app, now: now, limit: 2)
            let late = now.addingTimeInterval(7200)
            try await Self.send(app, now: late)
            #expect(try server.messages().count == 2)
            let done = try await admin.get("/api/v1/mailings/\(m.id)").decode(MailingDTO.self)
            #expect(done.stats == MailingStatsDTO(recipients: 5, sent: 2, failed: 0, skipped: 3, queued: 0))
            #expect(done.status == .done)
            #expect(try await Self.recipients(admin, m.id, "&status=skipped").allSatisfy { $0.reason == "expired" })
        }
    }

    @Test(arguments: TestDB.all)
    func thePreviewSaysWhoIsLeftOutAndWhy(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin)
            let good = try await Self.client(admin, "Годный", email: "ok@example.ru")
            let silent = try await Self.client(admin, "Без адреса", email: nil)
            let gone = try await Self.client(admin, "Помеченный", email: "gone@example.ru")
            _ = try await admin.delete("/api/v1/partners/\(gone)")
            let blocked = try await Self.client(admin, "В стоп-листе", email: "stop@example.ru")
            let stop = try await admin.post("/api/v1/segments", ["name": "Должники", "kind": "manual", "stopList": true]).json()["id"] as! String
            _ = try await admin.post("/api/v1/segments/\(stop)/members", ["partnerIds": [blocked.uuidString]])
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": good.uuidString, "name": "Иванов Пётр",
                "contacts": [JSONObject(["type": "email", "kind": "work", "value": "OK@example.ru"])]])
            #expect(person.status == .created)
            let m = try await Self.mailing(admin, ["name": "Все", "topicId": topic, "subject": "Тема", "text": "Текст",
                "audience": JSONObject(["partnerIds": [good, silent, gone, blocked].map(\.uuidString), "whom": "all",
                                        "extraAddresses": ["new@example.ru", "+7 (916) 123-45-67"]])])
            let preview = try await admin.send(.POST, "/api/v1/mailings/\(m.id)/preview").decode(MailingPreviewDTO.self)
            #expect(preview.recipients == 2, "the good partner and the extra e-mail")
            let reasons = Dictionary(preview.excluded.map { ($0.partnerId?.uuidString ?? $0.address ?? "", $0.reason) }, uniquingKeysWith: { a, _ in a })
            #expect(reasons[silent.uuidString] == .noAddress)
            #expect(reasons[gone.uuidString] == .markedForDeletion)
            #expect(reasons[blocked.uuidString] == .stopList)
            #expect(preview.excluded.contains { $0.partnerId == good && $0.reason == .duplicateAddress }, "his address is the partner's, in other case")
            #expect(reasons["79161234567"] == .noAddress, "a phone in an e-mail mailing")
            #expect(preview.excludedTotal == 5)
        }
    }

    @Test(arguments: [TestDB.sqlite])
    func anUnknownPlaceholderIsRefusedWhenSaved(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let topic = try await Self.topic(admin)
            let reply = try await admin.send(.POST, "/api/v1/mailings", json: JSONObject([
                "name": "Опечатка", "topicId": topic, "subject": "Привет, {{partner.nmae}}", "text": "{{ contact.firstName }}, {{deal.sum}}"]))
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorFields["subject"] == "uses unknown placeholders: {{partner.nmae}}")
            #expect(reply.errorFields["text"] == "uses unknown placeholders: {{deal.sum}}", "\(reply.text)")
            #expect(FormErrors.localize("uses unknown placeholders: {{deal.sum}}", app.localizer.strings(.ru)) == "Неизвестные подстановки: {{deal.sum}}")
            // Without SMTP_URL nothing would ever leave: a mailing is not scheduled.
            let fine = try await Self.mailing(admin, ["name": "Письмо", "topicId": topic, "subject": "Тема", "text": "Текст",
                                                      "audience": JSONObject(["extraAddresses": ["a@example.ru"]])])
            let refused = try await admin.post("/api/v1/mailings/\(fine.id)/schedule")
            #expect(refused.status == .unprocessableEntity && refused.errorFields["channel"] == "cannot be sent: no SMTP server is configured (SMTP_URL)")
        }
    }

    @Test(arguments: TestDB.all)
    func aManagersMailingReachesOnlyThePartnersOfTheirGroups(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = MailDeliveryTests.settings(server)
            let admin = try await API.admin(app)
            let north = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let topic = try await Self.topic(admin)
            var all: [String] = []
            for index in 0..<3 { all.append(try await Self.client(admin, "Северный \(index)", email: "n\(index)@example.ru", group: north).uuidString) }
            for index in 0..<3 { all.append(try await Self.client(admin, "Южный \(index)", email: "s\(index)@example.ru", group: south).uuidString) }
            let (manager, _) = try await admin.createUser("sever", role: "manager", groups: [north])
            let m = try await Self.mailing(manager, ["name": "Всем", "topicId": topic, "subject": "Новости", "text": "Текст",
                                                     "audience": JSONObject(["partnerIds": all])])
            #expect(try await manager.send(.POST, "/api/v1/mailings/\(m.id)/preview").decode(MailingPreviewDTO.self).recipients == 3)
            _ = try await manager.post("/api/v1/mailings/\(m.id)/schedule")
            try await Self.send(app)
            #expect(Set(try server.envelopes().map { $0[1] }) == ["n0@example.ru", "n1@example.ru", "n2@example.ru"])
        }
    }
}
