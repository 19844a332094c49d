import Foundation
import Testing
import Vapor
@testable import Sdelka

/// «Отчеты» in the web UI: a head of sales classifies from the ABC/XYZ page and reads the
/// classes, the Pareto curve, the BCG grid and the funnel; a viewer reads but cannot run.
@Suite struct AnalyticsWebTests {
    /// The first partner linked from a report page (the biggest client).
    func seenPartner(in html: String) -> String {
        html.components(separatedBy: "href=\"/partners/").dropFirst().first.map { String($0.prefix(36)) } ?? ""
    }

    @Test(arguments: TestDB.all)
    func aHeadClassifiesAndReadsTheReports(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            try await ClassificationRunTests.load(admin, group: group)
            _ = try await admin.createUser("chief", role: "head")
            _ = try await admin.createUser("reader", role: "viewer")
            var (head, _) = try await Browser.signedIn(app, "chief", "password-chief")

            let hub = try await head.get("/reports")
            #expect(hub.html.contains("href=\"/reports/abc-xyz\"") && hub.html.contains("href=\"/reports/funnel\""))
            let empty = try await head.get("/reports/abc-xyz")
            #expect(empty.html.contains("Классификация ещё не выполнялась"))
            let done = try await head.submit("/reports/classification", from: empty, ["date": "2026-04-15", "measure": "revenue"])
            #expect(done.status == .seeOther && done.location == "/reports/abc-xyz?date=2026-03-31&measure=revenue")
            let page = try await head.get(done.location ?? "")
            #expect(page.html.contains("Клиенты классифицированы на 31.03.2026: 6."), "the flash says what happened")
            #expect(page.html.contains("01.01.2026 – 31.03.2026"))
            // A holds P-1's 50 000 of 108 000: 46,3 %; B P-2 and P-3, 40 000: 37 %.
            #expect(page.html.contains("46,3\u{00A0}%") && page.html.contains("37\u{00A0}%"))
            #expect(page.html.contains("50\u{00A0}000,00\u{00A0}₽") && page.html.contains("185,47\u{00A0}%"))
            #expect(page.html.contains("<path d=\"M44,210"), "the Pareto curve starts at the origin")
            let onlyC = try await head.get("/reports/abc-xyz?date=2026-03-31&measure=revenue&abc=C")
            #expect(onlyC.html.contains("Клиент 6") && onlyC.html.contains("Клиент 4") && !onlyC.html.contains("Клиент 1<"))
            let csv = try await head.get("/reports/abc-xyz.csv?measure=revenue")
            #expect(csv.html.hasPrefix("partner_code,partner_name,abc,abc_value,xyz,xyz_value"))

            let bcg = try await head.get("/reports/bcg")
            #expect(bcg.html.contains("Дойные коровы") && bcg.html.contains("Предыдущей классификации нет"))
            _ = try await admin.post("/api/v1/classification/run", ["date": "2026-05-10"])
            let moved = try await head.get("/reports/bcg?measure=revenue")
            #expect(moved.html.contains("Переходы с 31.03.2026") && moved.html.contains("AX → BX") && moved.html.contains("marker-end"))

            let p1 = seenPartner(in: page.html)
            let card = try await head.get("/partners/\(p1)")
            #expect(card.html.contains("Классификация") && card.html.contains("постоянный"), "the card shows the relationship stage")
            #expect(card.html.contains("31.03.2026") && card.html.contains("30.04.2026"), "the card shows the last two runs")

            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "КП"])
            let deal = try await admin.deal("Поставка", partner: try await admin.partner("Ромашка"), kind: kind)
            #expect(try await admin.stage(deal, kind.stages[1]).status == .ok)
            let funnel = try await head.get("/reports/funnel?kindId=\(kind.id)")
            #expect(funnel.html.contains("Интерес · 1") && funnel.html.contains("↓ 100\u{00A0}%"))

            var (viewer, _) = try await Browser.signedIn(app, "reader", "password-reader")
            let read = try await viewer.get("/reports/abc-xyz")
            #expect(read.status == .ok && !read.html.contains("action=\"/reports/classification\""))
            let refused = try await viewer.submit("/reports/classification", from: read, ["date": "2026-04-15"])
            #expect(refused.status == .forbidden)
        }
    }
}
