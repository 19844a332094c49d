import Foundation
import Testing
@testable import SdelkaCore

/// The mail formats by hand: encoded words, transfer encodings, Russian charsets, address
/// lists, the letter Sdelka sends and the letters it reads.
@Suite struct MailFormatTests {
    static let date = Date(timeIntervalSince1970: 1_796_000_000)   // 2026-11-30 00:53:20 UTC

    @Test func aLetterRoundTrips() throws {
        let mail = OutgoingMail(from: MailAddress(name: "Отдел продаж", address: "sales@example.ru"), to: [MailAddress(address: "a@example.ru")],
                                subject: "Привет", text: "строка 1\nстрока 2", html: "<b>жирный</b>",
                                attachments: [.init(filename: "прайс.csv", contentType: "text/csv", data: Array("a,b\n1,2\n".utf8))],
                                messageID: "<1@example.ru>", date: Self.date)
        let raw = mail.rendered(boundary: "b1")
        let parsed = try ParsedMail(Array(raw.utf8))
        #expect(parsed.subject == "Привет")
        #expect(parsed.from == [MailAddress(name: "Отдел продаж", address: "sales@example.ru")])
        #expect(parsed.text == "строка 1\nстрока 2")
        #expect(parsed.html == "<b>жирный</b>")
        #expect(parsed.attachments.map(\.filename) == ["прайс.csv"])
        #expect(parsed.attachments.first?.data == Array("a,b\n1,2\n".utf8))
        #expect(parsed.messageID == "<1@example.ru>")
        #expect(parsed.date == Self.date)
    }
}
