import Foundation
import NIOPosix
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// E-mail really sent: a real SMTP server (aiosmtpd) started by the test on loopback receives
/// the letters, and what it saved is checked byte for byte where it matters.
@Suite struct MailDeliveryTests {
    static let sender = MailAddress(name: "Sdelka CRM", address: "crm@sdelka.test")

    static func settings(_ server: SMTPTestServer?, port: Int? = nil) -> SMTPSettings {
        SMTPSettings(host: "127.0.0.1", port: port ?? server?.port ?? 0, security: .none, user: nil, password: nil, trustedCAFile: nil, from: sender)
    }

    static func letter(_ api: API, _ fields: [String: any Encodable & Sendable]) async throws -> InteractionDTO {
        var body: [String: any Encodable & Sendable] = ["type": "email", "topic": "Счёт на оплату №42 — срочно", "status": "queued",
                                                        "to": "Иван Петров <ivan@example.ru>", "bodyText": "Здравствуйте!\nСчёт во вложении."]
        body.merge(fields) { $1 }
        let reply = try await api.send(.POST, "/api/v1/interactions", json: JSONObject(body))
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(InteractionDTO.self)
    }

    @Test(arguments: TestDB.all)
    func aLetterArrivesWithUTF8SubjectBothAlternativesAndAttachment(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = Self.settings(server)
            let admin = try await API.admin(app)
            let pdf = Array("%PDF-1.4 счёт №42\n".utf8)
            let queued = try await Self.letter(admin, [
                "cc": "buh@example.ru", "bodyHtml": "<p>Здравствуйте!</p><p>Счёт во вложении.</p>",
                "attachments": [JSONObject(["filename": "Счёт №42.pdf", "contentType": "application/pdf", "content": Data(pdf).base64EncodedString()])],
            ])
            #expect(queued.status == .queued)
            let messageID = try #require(queued.messageId)
            #expect(messageID.hasPrefix("<") && messageID.hasSuffix("@sdelka.test>"), "named after MAIL_FROM's domain")
            #expect(queued.attachments?.map(\.filename) == ["Счёт №42.pdf"])
            #expect(queued.attachments?.first?.size == pdf.count)

            #expect(try await MailSender.tick(app) == 1)
            let raw = try #require(try server.messages().first)
            #expect(try server.envelopes() == [["crm@sdelka.test", "ivan@example.ru", "buh@example.ru"]])
            let headers = raw.components(separatedBy: "\r\n\r\n")[0]
            // The name in UTF-8 base64 encoded words: "Иван Петров" is 0JjQstCw0L0g0J/QtdGC0YDQvtCy.
            #expect(headers.contains("\r\nFrom: Sdelka CRM <crm@sdelka.test>\r\n"))
            #expect(headers.contains("\r\nTo: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>\r\n"))
            #expect(headers.contains("\r\nCc: buh@example.ru\r\n"))
            #expect(headers.contains("\r\nMessage-ID: \(messageID)\r\n"))
            #expect(headers.contains("\r\nMIME-Version: 1.0\r\n"))
            // 49 bytes of subject: two encoded words, split between characters, each under 76.
            let subject = try #require(headers.components(separatedBy: "\r\nSubject: ").last?.components(separatedBy: "\r\nMessage-ID").first)
            #expect(subject.hasPrefix("=?UTF-8?B?") && subject.contains("?=\r\n =?UTF-8?B?"))
            #expect(subject.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
            #expect(MIMEEncoding.decodeHeader(MIMEHeaders("Subject: " + subject)["Subject"] ?? "") == "Счёт на оплату №42 — срочно")
            #expect(raw.contains("Content-Type: multipart/mixed; boundary="))
            #expect(raw.contains("Content-Type: multipart/alternative; boundary="))
            // The text part, CRLF line ends, base64 of UTF-8:
            #expect(raw.contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "0JfQtNGA0LDQstGB0YLQstGD0LnRgtC1IQ0K0KHRh9GR0YIg0LLQviDQstC70L7QttC10L3QuNC4\r\nLg==\r\n"))
            #expect(raw.contains("Content-Disposition: attachment; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%E2%84%9642.pdf\r\n"))

            let parsed = try ParsedMail(Array(raw.utf8))
            #expect(parsed.subject == "Счёт на оплату №42 — срочно")
            #expect(parsed.text == "Здравствуйте!\nСчёт во вложении.")
            #expect(parsed.html == "<p>Здравствуйте!</p><p>Счёт во вложении.</p>")
            #expect(parsed.attachments.map(\.filename) == ["Счёт №42.pdf"])
            #expect(parsed.attachments.first?.data == pdf)
            #expect(parsed.attachments.first?.contentType == "application/pdf")

            let sent = try await admin.get("/api/v1/interactions/\(queued.id)").decode(InteractionDTO.self)
            #expect(sent.status == .sent)
            #expect(sent.sentAt != nil)
            #expect(sent.error == nil)
            #expect(sent.version == queued.version + 1)
            let history = try await admin.get("/api/v1/audit?objectType=interaction&objectId=\(queued.id)").text
            #expect(history.contains("\"userLogin\":\"system\""))
            #expect(try await MailSender.tick(app) == 0, "a sent letter is not sent again")

            // The file can be downloaded under its name.
            let file = try await admin.get("/api/v1/interactions/\(queued.id)/attachments/\(try #require(queued.attachments?.first?.id))")
            #expect(file.status == .ok)
            #expect(file.headers.first(name: .contentType) == "application/pdf")
            #expect(file.headers.first(name: .contentDisposition) == "attachment; filename*=UTF-8''%D0%A1%D1%87%D1%91%D1%82%20%E2%84%9642.pdf")
            #expect(Array(file.text.utf8) == pdf)

            // A reply to it names it in In-Reply-To and References.
            let reply = try await Self.letter(admin, ["basisId": queued.id.uuidString, "topic": "Re: Счёт", "bodyText": "Оплачено"])
            #expect(try await MailSender.tick(app) == 1)
            let second = try #require(try server.messages().last)
            #expect(second.contains("\r\nIn-Reply-To: \(messageID)\r\nReferences: \(messageID)\r\n"))
            #expect(reply.subject == queued.subject, "the reply is in the same chain")
            #expect(!second.contains("multipart"), "text only: a single text/plain part")
        }
    }

    @Test(arguments: TestDB.all)
    func aRefusedConnectionLeavesTheLetterQueuedAndALaterRetrySendsIt(db: TestDB) async throws {
        let closedPort = try Self.unusedPort()
        try await withSdelka(db) { app in
            app.sdelka.smtp = Self.settings(nil, port: closedPort)
            let admin = try await API.admin(app)
            let letter = try await Self.letter(admin, [:])
            let now = Date()
            #expect(try await MailSender.tick(app, now: now) == 0)
            var state = try await admin.get("/api/v1/interactions/\(letter.id)").decode(InteractionDTO.self)
            #expect(state.status == .queued)
            #expect(state.error?.contains("cannot connect to 127.0.0.1:\(closedPort)") == true, "\(state.error ?? "-")")

            let server = try SMTPTestServer()
            defer { server.stop() }
            app.sdelka.smtp = Self.settings(server)
            #expect(try await MailSender.tick(app, now: now.addingTimeInterval(10)) == 0, "not before its next attempt, 30 s later")
            #expect(try server.messages().isEmpty)
            #expect(try await MailSender.tick(app, now: now.addingTimeInterval(31)) == 1)
            state = try await admin.get("/api/v1/interactions/\(letter.id)").decode(InteractionDTO.self)
            #expect(state.status == .sent)
            #expect(state.error == nil)
            #expect(try server.messages().count == 1)
        }
    }

    @Test func refusalsFailForGoodOrRetryUntilTheFifthAttempt() async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(.sqlite) { app in
            app.sdelka.smtp = Self.settings(server)
            let admin = try await API.admin(app)
            let refused = try await Self.letter(admin, ["to": "refuse-me@example.ru"])
            let later = try await Self.letter(admin, ["to": "later-me@example.ru"])
            let fine = try await Self.letter(admin, ["to": "ok@example.ru"])
            var now = Date()
            #expect(try await MailSender.tick(app, now: now) == 1, "one refused recipient does not stop the others' letters")
            func state(_ id: UUID) async throws -> String {
                let dto = try await admin.get("/api/v1/interactions/\(id)").decode(InteractionDTO.self)
                return "\(dto.status?.rawValue ?? "-"): \(dto.error ?? "")"
            }
            #expect(try await state(refused.id) == "failed: RCPT TO refuse-me@example.ru: 550 5.1.1 No such user here")
            #expect(try await state(later.id) == "queued: RCPT TO later-me@example.ru: 451 4.3.0 Try again later")
            #expect(try await state(fine.id) == "sent: ")
            // Tried again after 30 s, 1, 2 and 4 minutes; the fifth temporary refusal fails it.
            for wait in [31.0, 61, 121, 241] {
                now = now.addingTimeInterval(wait)
                _ = try await MailSender.tick(app, now: now)
            }
            #expect(try await state(later.id) == "failed: RCPT TO later-me@example.ru: 451 4.3.0 Try again later")
            #expect(try server.messages().count == 1)
        }
    }

    @Test(arguments: TestDB.all)
    func twoSendersAtOnceSendEachLetterOnce(db: TestDB) async throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try await withSdelka(db) { app in
            app.sdelka.smtp = Self.settings(server)
            let admin = try await API.admin(app)
            for n in 1...12 { _ = try await Self.letter(admin, ["topic": "Письмо \(n)"]) }
            async let first = MailSender.tick(app)
            async let second = MailSender.tick(app)
            let (a, b) = try await (first, second)
            #expect(a + b == 12, "\(a) + \(b)")
            #expect(try server.messages().count == 12)
            #expect(try await MailSender.tick(app) == 0)
        }
    }

    @Test func starttlsWithLogin() async throws {
        let server = try SMTPTestServer(starttls: true, auth: "crm:пароль-1")
        defer { server.stop() }
        try await withSdelka(.sqlite) { app in
            let url = "smtp://crm:%D0%BF%D0%B0%D1%80%D0%BE%D0%BB%D1%8C-1@localhost:\(server.port)?starttls=1&ca=\(server.certificateFile)"
            app.sdelka.smtp = try SMTPSettings.parse(url: url, mailFrom: "crm@sdelka.test").get()
            let admin = try await API.admin(app)
            let letter = try await Self.letter(admin, [:])
            #expect(try await MailSender.tick(app) == 1)
            #expect(try server.messages().count == 1)
            #expect(try await admin.get("/api/v1/interactions/\(letter.id)").decode(InteractionDTO.self).status == .sent)

        }
    }

    @Test func implicitTLSAndAnUntrustedCertificate() async throws {
        let server = try SMTPTestServer(implicitTLS: true)
        defer { server.stop() }
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            // Without the server's CA the certificate is not trusted: nothing goes, the letter waits.
            app.sdelka.smtp = try SMTPSettings.parse(url: "smtps://localhost:\(server.port)", mailFrom: "crm@sdelka.test").get()
            let letter = try await Self.letter(admin, [:])
            #expect(try await MailSender.tick(app) == 0)
            let waiting = try await admin.get("/api/v1/interactions/\(letter.id)").decode(InteractionDTO.self)
            #expect(waiting.status == .queued)
            #expect(waiting.error?.isEmpty == false)
            #expect(try server.messages().isEmpty)
            app.sdelka.smtp = try SMTPSettings.parse(url: "smtps://localhost:\(server.port)?ca=\(server.certificateFile)", mailFrom: "crm@sdelka.test").get()
            #expect(try await MailSender.tick(app, now: Date().addingTimeInterval(31)) == 1)
            #expect(try server.messages().count == 1)
        }
    }

    @Test func queuingIsCheckedAndFailedIsTheSendersToSet() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            func fields(_ body: [String: any Encodable & Sendable]) async throws -> [String: String] {
                var all: [String: any Encodable & Sendable] = ["type": "email", "topic": "Письмо", "to": "a@example.ru"]
                all.merge(body) { $1 }
                return try await admin.send(.POST, "/api/v1/interactions", json: JSONObject(all)).errorFields
            }
            #expect(try await fields(["status": "queued"]) == ["status": "cannot be queued: no SMTP server is configured (SMTP_URL)"])
            app.sdelka.smtp = Self.settings(nil, port: 25)
            #expect(try await fields(["status": "failed"]) == ["status": "cannot be set: only sending fails a letter"])
            #expect(try await fields(["status": "queued", "to": ""]) == ["to": "is required to send a letter"])
            #expect(try await fields(["status": "queued", "incoming": true]) == ["status": "cannot be queued: the letter is incoming"])
            #expect(try await fields(["status": "draft", "attachments": [JSONObject(["filename": "", "content": "%%%"])]])
                == ["attachments.0.filename": "is required", "attachments.0.content": "must be base64"])
            // A draft is queued later by a PATCH, and then carries its Message-ID.
            let draft = try await admin.send(.POST, "/api/v1/interactions", json: JSONObject(["type": "email", "topic": "Черновик", "status": "draft", "to": "a@example.ru"]))
                .decode(InteractionDTO.self)
            #expect(draft.messageId == nil)
            let queued = try await admin.patch("/api/v1/interactions/\(draft.id)", ["status": "queued", "version": draft.version]).decode(InteractionDTO.self)
            #expect(queued.status == .queued)
            #expect(queued.messageId?.hasSuffix("@sdelka.test>") == true)
        }
    }

    @Test func smtpURLs() throws {
        let plain = try SMTPSettings.parse(url: "smtp://mail.example.ru", mailFrom: "CRM <crm@example.ru>").get()
        #expect(plain == SMTPSettings(host: "mail.example.ru", port: 25, security: .none, user: nil, password: nil, trustedCAFile: nil,
                                      from: MailAddress(name: "CRM", address: "crm@example.ru")))
        let tls = try SMTPSettings.parse(url: "smtps://user%40example.ru:p%3Ass@smtp.example.ru", mailFrom: "crm@example.ru").get()
        #expect(tls.port == 465)
        #expect(tls.security == .implicitTLS)
        #expect(tls.user == "user@example.ru")
        #expect(tls.password == "p:ss")
        let upgrade = try SMTPSettings.parse(url: "smtp://smtp.example.ru:587?starttls=1&ca=/etc/ssl/our-ca.pem", mailFrom: "crm@example.ru").get()
        #expect(upgrade.security == .startTLS)
        #expect(upgrade.port == 587)
        #expect(upgrade.trustedCAFile == "/etc/ssl/our-ca.pem")
        #expect(throws: SMTPSettings.SettingsError.self) { try SMTPSettings.parse(url: "http://x", mailFrom: "a@b.ru").get() }
        #expect(throws: SMTPSettings.SettingsError.self) { try SMTPSettings.parse(url: "smtp://x", mailFrom: nil).get() }
    }

    static func unusedPort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 1
        try channel.close().wait()
        return port
    }
}
