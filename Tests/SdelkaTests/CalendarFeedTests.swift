import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Meetings and planned interactions as an iCalendar feed, with a secret link that opens the
/// feed and nothing else.
@Suite struct CalendarFeedTests {
    @Test func textIsEscapedAndLinesFoldedWithinUTF8Characters() {
        #expect(ICalendar.escape("Встреча; склад, офис\\2\nэтаж") == "Встреча\\; склад\\, офис\\\\2\\nэтаж")
        let long = ICalendar.fold("SUMMARY:" + String(repeating: "Ж", count: 40))
        let lines = long.components(separatedBy: "\r\n")
        // 8 + 33 × 2 = 74 octets, then a space and the other 7 letters.
        #expect(lines.count == 2 && lines[0].utf8.count == 74 && lines[1] == " " + String(repeating: "Ж", count: 7))
        // 1,795,000,000 s after 1970 = 2026-11-18 11:06:40 UTC (checked with Python's datetime).
        #expect(ICalendar.utc(Date(timeIntervalSince1970: 1_795_000_000)) == "20261118T110640Z")
    }

    @Test(arguments: TestDB.all)
    func aManagerSubscribesToTheirMeetings(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (manager, managerID) = try await admin.createUser("petrov", role: "manager")
            let adminID = try await admin.get("/api/v1/me").json()["id"] as! String
            let soon = Date().addingTimeInterval(2 * 86_400), later = Date().addingTimeInterval(5 * 86_400)
            let iso = ISO8601DateFormatter()
            for (type, topic, responsible, extra) in [
                ("meeting", "Переговоры, склад", managerID, ["start": iso.string(from: soon), "place": "Офис; 3 этаж"]),
                ("planned", "Позвонить", managerID, ["plannedAt": iso.string(from: later)]),
                ("call", "Звонок", managerID, ["incoming": true]),
                ("meeting", "Чужая встреча", adminID, ["start": iso.string(from: soon)]),
            ] as [(String, String, String, [String: any Encodable & Sendable])] {
                var body: [String: any Encodable & Sendable] = ["type": type, "topic": topic, "description": "Описание", "responsibleId": responsible]
                body.merge(extra) { $1 }
                #expect(try await admin.send(.POST, "/api/v1/interactions", json: JSONObject(body)).status == .created)
            }
            let feed = try await manager.get("/api/v1/interactions.ics")
            #expect(feed.status == .ok && feed.headers.contentType?.subType == "calendar")
            #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && feed.text.hasSuffix("END:VCALENDAR\r\n"))
            #expect(feed.text.components(separatedBy: "BEGIN:VEVENT").count == 3, "the meeting and the planned contact, not the call or another's meeting")
            #expect(feed.text.contains("SUMMARY:Переговоры\\, склад") && feed.text.contains("LOCATION:Офис\\; 3 этаж"))
            #expect(feed.text.contains("DTSTART:" + ICalendar.utc(soon)) && feed.text.contains("DTEND:" + ICalendar.utc(soon.addingTimeInterval(3_600))))

            // The secret link works without a header, opens nothing else, and a new one replaces it.
            let link = try await manager.post("/api/v1/me/calendar-link").json()["url"] as! String
            let anonymous = API(app: app)
            let subscribed = try await anonymous.get(link)
            #expect(subscribed.status == .ok && subscribed.text.contains("Позвонить"))
            let secret = String(link.split(separator: "=").last!)
            #expect(try await API(app: app, token: secret).get("/api/v1/partners").status == .unauthorized)
            let newer = try await manager.post("/api/v1/me/calendar-link").json()["url"] as! String
            #expect(newer != link)
            #expect(try await anonymous.get(link).status == .unauthorized)
            #expect(try await anonymous.get(newer).status == .ok)

            // The profile page makes one too and shows it in full.
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let made = try await browser.submit("/profile/calendar-link", from: try await browser.get("/profile"), [:])
            #expect(made.status == .ok && made.html.contains("/api/v1/interactions.ics?key=sdk_"))
        }
    }
}
