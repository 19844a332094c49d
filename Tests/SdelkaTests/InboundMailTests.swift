import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Received letters: real .eml files (Outlook-shaped multipart with windows-1251 and an
/// attachment; a KOI8-R letter from a stranger) registered against the right contact, threaded
/// into the chain of the letter they answer, and strangers listed for registering.
@Suite struct InboundMailTests {
    static let inboundToken = "inbound-secret-0123456789"

    static func fixture(_ name: String) throws -> String {
        String(decoding: try fixtureBytes(name), as: UTF8.self)
    }

    static func fixtureBytes(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)"))
    }

    @Test(arguments: TestDB.all)
    func aReplyFromAContactIsRegisteredAgainstThemAndThreaded(db: TestDB) async throws {
        try await withSdelka(db) { app in
            app.sdelka.inboundToken = Self.inboundToken
            app.sdelka.smtp = MailDeliveryTests.settings(nil, port: 25)
            let admin = try await API.admin(app)
            let partner = try await admin.post("/api/v1/partners", ["name": "ООО «Ромашка»"]).json()["id"] as! String
            let person = try await admin.send(.POST, "/api/v1/contact-persons", json: JSONObject([
                "partnerId": partner, "name": "Анна Смирнова", "contacts": [["type": "email", "kind": "work", "value": "anna.smirnova@romashka.ru"]]]))
                .json()["id"] as! String
            let ours = try await MailDeliveryTests.letter(admin, ["to": "Анна Смирнова <anna.smirnova@romashka.ru>",
                                                                  "participants": [JSONObject(["contactPersonId": person])]])
            let ourID = try #require(ours.messageId)

            let raw = try Self.fixture("reply-from-contact.eml").replacingOccurrences(of: "%IN_REPLY_TO%", with: ourID)
            var inbound = API(app: app, token: Self.inboundToken)
            let reply = try await inbound.send(.POST, "/api/v1/inbound/email", raw: raw, contentType: HTTPMediaType(type: "message", subType: "rfc822"))
            #expect(reply.status == .created, "\(reply.text)")
            let letter = try reply.decode(InteractionDTO.self)
            #expect(letter.type == .email)
            #expect(letter.incoming == true)
            #expect(letter.status == .received)
            #expect(letter.topic == "RE: Счёт на оплату №42 и прайс-лист")
            #expect(letter.from == "Анна Смирнова <Anna.Smirnova@romashka.ru>")
            #expect(letter.to == "Отдел продаж <sales@sdelka.test>")
            #expect(letter.partnerId?.uuidString == partner)
            #expect(letter.participants.first?.contactPersonId?.uuidString == person, "found by address, whatever its case")
            #expect(letter.basisId == ours.id, "In-Reply-To names our letter")
            #expect(letter.subject == ours.subject, "in the same chain")
            #expect(letter.chain?.unreviewed == 2)
            #expect(letter.responsibleId == ours.responsibleId, "whoever handles the chain reads the reply")
            #expect(letter.messageId == "<A1B2C3D4E5@romashka.ru>")
            #expect(letter.bodyText == "Добрый день!\nСчёт оплатим в среду. Прайс-лист во вложении — проверьте цены на 2026 год.\n\n-- \nАнна Смирнова, ООО «Ромашка»", "kept without the trailing line break")
            #expect(letter.bodyHtml == "<p>Добрый день!</p><p>Счёт оплатим в среду.</p>")
            #expect(letter.sentAt == ISO8601DateFormatter().date(from: "2026-11-30T07:15:00Z"), "the Date header, +0300")
            let file = try #require(letter.attachments?.first)
            #expect(letter.attachments?.count == 1)
            #expect(file.filename == "Прайс-лист 2026.xlsx")
            #expect(file.contentType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(file.size == 1024)
            let stored = try #require(try await InteractionAttachment.find(file.id, on: app.db))
            let everyByte: [UInt8] = (0...255).map { UInt8($0) }
            let expected: [UInt8] = everyByte + everyByte + everyByte + everyByte
            #expect([UInt8](stored.data) == expected)

            // The same letter again (a webhook retried): the one already registered, 200.
            let again = try await inbound.send(.POST, "/api/v1/inbound/email", raw: raw, contentType: .plainText)
            #expect(again.status == .ok)
            #expect(try again.decode(InteractionDTO.self).id == letter.id)
            // It is on the partner's timeline.
            let timeline = try await admin.get("/api/v1/interactions?partnerId=\(partner)").json()["total"] as? Int
            #expect(timeline == 2)

            // Without the secret or a user's token: 401; garbage: 422.
            inbound = API(app: app, token: "wrong-secret-0123456789")
            #expect(try await inbound.send(.POST, "/api/v1/inbound/email", raw: raw, contentType: .plainText).status == .unauthorized)
            let garbage = try await admin.send(.POST, "/api/v1/inbound/email", raw: "\r\n\r\nno headers at all", contentType: .plainText)
            #expect(garbage.errorFields == ["message": "is not an RFC 822 message: no headers"])
        }
    }

    @Test(arguments: TestDB.all)
    func aStrangersLetterWaitsToBeRegisteredAsAPartner(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            // Through the command a mail server pipes to.
            let printed = try await ReceiveMailCommand.receive(try Self.fixtureBytes("unknown-sender.eml"), app: app)
            #expect(printed.contains("«Запрос цен на упаковку» from Пётр Иванов <petr@vektor-pack.ru> (unknown sender)"), "\(printed)")
            struct Senders: Decodable { var items: [UnknownSenders.SenderDTO]; var total: Int }
            var senders = try await admin.get("/api/v1/inbound/unknown-senders").decode(Senders.self)
            #expect(senders.total == 1)
            #expect(senders.items.map(\.address) == ["petr@vektor-pack.ru"])
            #expect(senders.items.first?.name == "Пётр Иванов")
            #expect(senders.items.first?.letters == 1)
            #expect(senders.items.first?.lastTopic == "Запрос цен на упаковку")
            let letters = try await admin.get("/api/v1/interactions?type=email").json()["items"] as? [[String: Any]]
            #expect(letters?.first?["bodyText"] as? String == "Здравствуйте! Интересуют поставки упаковки, 5 тонн в месяц.\nПётр Иванов, ООО \"Вектор\"")

            // Registered as a partner with where he came from; his letters follow him.
            let channel = try await admin.post("/api/v1/channels", ["name": "Входящая почта"]).json()["id"] as! String
            let partner = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "ООО «Вектор»", "isClient": true, "contacts": [["type": "email", "kind": "work", "value": "petr@vektor-pack.ru"]],
                "source": JSONObject(["channelId": channel, "note": "Письмо с запросом цен"])]))
            #expect(partner.status == .created, "\(partner.text)")
            let partnerID = try #require(partner.json()["id"] as? String)
            let linked = try await admin.post("/api/v1/inbound/unknown-senders/link", ["address": "Petr@Vektor-Pack.ru", "partnerId": partnerID])
            #expect(try linked.json()["updated"] as? Int == 1, "\(linked.text)")
            senders = try await admin.get("/api/v1/inbound/unknown-senders").decode(Senders.self)
            #expect(senders.total == 0)
            #expect(try await admin.get("/api/v1/interactions?partnerId=\(partnerID)").json()["total"] as? Int == 1)
            // A second letter from him now finds him at once.
            let next = try await ReceiveMailCommand.receive(Data(try Self.fixture("unknown-sender.eml")
                .replacingOccurrences(of: "<new-client-1@vektor-pack.ru>", with: "<new-client-2@vektor-pack.ru>").utf8), app: app)
            #expect(next.hasSuffix("(ООО «Вектор»)"), "\(next)")
            #expect(try await admin.post("/api/v1/inbound/unknown-senders/link", ["address": "x@y.ru", "partnerId": UUID().uuidString]).errorFields
                    == ["partnerId": "names a partner that does not exist"])
        }
    }

    @Test func readingRussianMail() throws {
        // Encoded words in the three charsets Russian mail uses, and one that is not encoded.
        #expect(MIMEEncoding.decodeHeader("=?windows-1251?B?z/Do4uXy?=") == "Привет")
        #expect(MIMEEncoding.decodeHeader("=?koi8-r?Q?=F0=D2=C9=D7=C5=D4_=CD=C9=D2?=") == "Привет мир")
        #expect(MIMEEncoding.decodeHeader("Re: =?UTF-8?B?0J/RgNC40LLQtdGC?= =?UTF-8?B?INC80LjRgA==?= !") == "Re: Привет мир !")
        #expect(MIMEEncoding.decodeHeader("=?utf-8?q?caf=C3=A9?= 100% =?bogus") == "café 100% =?bogus")
        #expect(MIMEEncoding.quotedPrintableDecode(Array("a=3Db=\r\nc =D0=AF".utf8)) == Array("a=bc Я".utf8))
        let list: [MailAddress] = MailAddress.list("\"Петров, Иван\" <ivan@x.ru>, buh@x.ru (Бухгалтерия), team: a@x.ru, b@x.ru;")
        let names: [String] = list.map { "\($0.name ?? "-") \($0.address)" }
        #expect(names == ["Петров, Иван ivan@x.ru", "Бухгалтерия buh@x.ru", "- a@x.ru", "- b@x.ru"])
        #expect(MailAddress.strictList("a@x.ru, not an address") == nil)
        let params = MIMEHeaders.parameters(of: "attachment; filename*0*=utf-8''%D0%9F%D1%80; filename*1*=%D0%B0%D0%B9%D1%81.pdf; size=10")
        #expect(params.value == "attachment")
        #expect(params.parameters["filename"] == "Прайс.pdf")
    }
}
