import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Competitive intelligence (DOMAIN.md §7): competitors' prices, the comparison with ours on a
/// date, and the deals met, won and lost against each competitor — numbers checked by hand.
@Suite struct CompetitorTests {
    static func competitor(_ api: API, _ name: String, code: String) async throws -> UUID {
        let reply = try await api.post("/api/v1/partners", ["name": name, "code": code, "isCompetitor": true])
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(PartnerDTO.self).id
    }

    static func product(_ api: API, _ sku: String, price: Double) async throws -> UUID {
        let reply = try await api.post("/api/v1/products", ["sku": sku, "name": "Коробка \(sku)", "price": price])
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(ProductDTO.self).id
    }

    static func observe(_ api: API, _ competitor: UUID, _ product: UUID, _ date: String, _ price: Double) async throws -> CompetitorPriceDTO {
        let reply = try await api.post("/api/v1/competitor-prices", ["competitorId": competitor.uuidString, "productId": product.uuidString,
                                                                     "date": date, "price": price])
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(CompetitorPriceDTO.self)
    }

    /// On 15 March: box 1 is ours at 100.00; A's latest is 110.00 of 10 March (+10.00, +10 %, 5 days
    /// old; its 120.00 of 20 March is later), B's 100.00 of 1 February (0, 42 days old). Box 2 is
    /// ours at 250.00; A's 200.00 of 14 March (−50.00, −20 %; its 1.00 of 15 March is marked).
    @Test(arguments: TestDB.all)
    func theComparisonTakesTheLatestPriceOnOrBeforeTheDate(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let a = try await Self.competitor(admin, "Конкурент А", code: "K-A")
            let b = try await Self.competitor(admin, "Конкурент Б", code: "K-B")
            let box1 = try await Self.product(admin, "BOX-1", price: 100)
            let box2 = try await Self.product(admin, "BOX-2", price: 250)
            _ = try await Self.observe(admin, a, box1, "2026-03-01", 95)
            _ = try await Self.observe(admin, a, box1, "2026-03-10", 110)
            _ = try await Self.observe(admin, a, box1, "2026-03-20", 120)
            _ = try await Self.observe(admin, b, box1, "2026-02-01", 100)
            _ = try await Self.observe(admin, a, box2, "2026-03-14", 200)
            let typo = try await Self.observe(admin, a, box2, "2026-03-15", 1)
            #expect(try await admin.delete("/api/v1/competitor-prices/\(typo.id)").status == .ok)
            let notCompetitor = try await admin.partner("Клиент")
            let refused = try await admin.post("/api/v1/competitor-prices", ["competitorId": notCompetitor.uuidString, "productId": box1.uuidString, "price": 1])
            #expect(refused.errorFields["competitorId"] == "names no partner flagged as a competitor")

            let report = try await admin.get("/api/v1/reports/price-comparison?date=2026-03-15").decode(PriceComparisonReport.self)
            #expect(report.items.map(\.sku) == ["BOX-1", "BOX-2"])
            let first = report.items[0], second = report.items[1]
            #expect(first.ourPrice == 100 && first.ourPosition == "cheapest")
            #expect(first.competitors.map(\.name) == ["Конкурент А", "Конкурент Б"])
            #expect(first.competitors.map(\.price) == [110, 100])
            #expect(first.competitors.map(\.date) == ["2026-03-10", "2026-02-01"])
            #expect(first.competitors.map(\.ageDays) == [5, 42])
            #expect(first.competitors.map(\.difference) == [10, 0])
            #expect(first.competitors.map(\.differencePercent) == [10, 0])
            #expect(first.competitors.map(\.dearest) == [true, false] && first.competitors.map(\.cheapest) == [false, true])
            #expect(second.ourPosition == "dearest" && second.competitors.map(\.price) == [200])
            #expect(second.competitors.map(\.difference) == [-50] && second.competitors.map(\.differencePercent) == [-20])
            let onlyB = try await admin.get("/api/v1/reports/price-comparison?date=2026-03-15&competitorId=\(b)").decode(PriceComparisonReport.self)
            #expect(onlyB.items.map(\.sku) == ["BOX-1"])
            let csv = try await admin.send(.GET, "/api/v1/reports/price-comparison?date=2026-03-15", headers: ["Accept": "text/csv"]).text
            #expect(csv.contains("BOX-1,Коробка BOX-1,100,Конкурент А,110,RUB,2026-03-10,5,10,10"))
        }
    }

    /// A met in four deals: one we won, one lost to A (1 000.00), one lost to B while A was
    /// there too, one open: won 1, lost to A 1, win rate 1 ÷ 2 = 50 %. B met in one, lost to B.
    @Test(arguments: TestDB.all)
    func theCompetitorsReportCountsDealsMetWonAndLost(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let a = try await Self.competitor(admin, "Конкурент А", code: "K-A")
            let b = try await Self.competitor(admin, "Конкурент Б", code: "K-B")
            let client = try await admin.partner("Клиент")
            let kind = try await admin.dealKind("Продажа", type: "manual", stages: ["Переговоры"])
            let reason = try await admin.lossReason("Цена")
            func deal(_ name: String, _ amount: Double, _ rivals: [UUID]) async throws -> DealDTO {
                try await admin.deal(name, partner: client, kind: kind, ["potentialAmount": amount,
                    "participants": rivals.map { JSONObject(["partnerId": $0.uuidString, "role": "competitor"]) }])
            }
            let won = try await deal("Выиграна", 700, [a])
            #expect(try await admin.post("/api/v1/deals/\(won.id)/win").status == .ok)
            let lostToA = try await deal("Проиграна А", 1000, [a])
            #expect(try await admin.post("/api/v1/deals/\(lostToA.id)/lose", ["lossReasonId": reason, "competitorId": a.uuidString]).status == .ok)
            let lostToB = try await deal("Проиграна Б", 500, [a, b])
            #expect(try await admin.post("/api/v1/deals/\(lostToB.id)/lose", ["lossReasonId": reason, "competitorId": b.uuidString]).status == .ok)
            _ = try await deal("Открыта", 300, [a])
            let report = try await admin.get("/api/v1/reports/competitors").decode(CompetitorsReport.self)
            let byName = Dictionary(report.items.map { ($0.name, $0) }, uniquingKeysWith: { x, _ in x })
            let ra = try #require(byName["Конкурент А"]), rb = try #require(byName["Конкурент Б"])
            #expect(ra.dealsMet == 4 && ra.wonByUs == 1 && ra.lostToThem == 1 && ra.amountLost == 1000 && ra.winRate == 50)
            #expect(rb.dealsMet == 1 && rb.wonByUs == 0 && rb.lostToThem == 1 && rb.amountLost == 500 && rb.winRate == 0)
        }
    }

    @Test(arguments: TestDB.all)
    func pricesComeInByCSVAllOrNothingAndOnce(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let a = try await Self.competitor(admin, "Конкурент А", code: "K-A")
            _ = try await admin.partner("Просто клиент")
            let box = try await Self.product(admin, "BOX-1", price: 100)
            let header = "competitor_code,product_sku,date,price,currency,source,note\n"
            let bad = header + "K-A,BOX-1,2026-03-01,95.50,RUB,Прайс-лист,\nK-Z,BOX-1,2026-03-02,96,,,\nK-A,BOX-9,2026-03-02,96,,,\nK-A,BOX-1,2026-13-01,96,,,\n"
            let refused = try await admin.send(.POST, "/api/v1/import/competitor-prices", raw: bad, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            #expect(try refused.decode(ImportReport.self).errors.map { "\($0.line):\($0.column)" } == ["3:competitor_code", "4:product_sku", "5:date"])
            #expect(try await admin.get("/api/v1/competitor-prices").json()["total"] as? Int == 0, "nothing kept")
            let good = header + "K-A,BOX-1,2026-03-01,95.50,RUB,Прайс-лист,сайт конкурента\nK-A,BOX-1,2026-03-08,97,,Прайс-лист,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/competitor-prices", raw: good, contentType: .csv).decode(ImportReport.self)
                    == ImportReport(created: 2, updated: 0, errors: []))
            #expect(try await admin.send(.POST, "/api/v1/import/competitor-prices", raw: good, contentType: .csv).decode(ImportReport.self)
                    == ImportReport(created: 0, updated: 0, errors: []), "the same file again adds nothing")
            let history = try await admin.get("/api/v1/competitor-prices?productId=\(box)&competitorId=\(a)").decode(PageDTO<CompetitorPriceDTO>.self).items
            #expect(history.map(\.price) == [97, 95.5])
            let sources = try await admin.get("/api/v1/competitor-price-sources").decode(PageDTO<CatalogDTO>.self).items
            #expect(sources.map(\.name) == ["Прайс-лист"] && history.allSatisfy { $0.sourceId == sources.first?.id })
            let report = try await admin.get("/api/v1/reports/price-comparison?date=2026-03-31").decode(PriceComparisonReport.self)
            #expect(report.items.first?.competitors.first?.differencePercent == -3, "97 against 100")
        }
    }
}

/// Competitive intelligence in the browser: a price recorded from a deal's card, the comparison
/// with a competitor cheaper than us marked, a product's history chart, the competitor's panel
/// on its partner card with a note added, and the competitors report.
@Suite struct CompetitorWebTests {
    @Test func aPriceIsRecordedFromADealAndComparedOnThePages() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            let rival = try await CompetitorTests.competitor(admin, "Конкурент А", code: "K-A")
            let box = try await CompetitorTests.product(admin, "BOX-1", price: 100)
            let client = try await admin.partner("Клиент")
            let kind = try await admin.dealKind("Продажа", type: "manual", stages: ["Переговоры"])
            let deal = try await admin.deal("Поставка", partner: client, kind: kind, ["participants": [JSONObject(["partnerId": rival.uuidString, "role": "competitor"])]])
            var (browser, desktop) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(desktop.html.contains("href=\"/competitor-prices\""))
            let dealCard = try await browser.get("/deals/\(deal.id)")
            #expect(dealCard.html.contains("/competitor-prices/new?dealId=\(deal.id)&amp;competitorId=\(rival)"), "the deal card opens the form with its competitor")
            let form = try await browser.get("/competitor-prices/new?dealId=\(deal.id)&competitorId=\(rival)&productId=\(box)")
            #expect(form.status == .ok && form.html.contains("value=\"\(deal.id)\""))
            let saved = try await browser.submit("/competitor-prices", from: form, [
                "competitorId": rival.uuidString, "productId": box.uuidString, "date": "2026-03-10", "price": "90,50", "currency": "RUB",
                "dealId": deal.id.uuidString, "note": "Клиент сказал"])
            #expect(saved.status == .seeOther, "\(saved.html)")
            let recorded = try await admin.get("/api/v1/competitor-prices").decode(PageDTO<CompetitorPriceDTO>.self).items
            #expect(recorded.map(\.price) == [90.5] && recorded.first?.dealId == deal.id && recorded.first?.note == "Клиент сказал")
            let comparison = try await browser.get("/reports/price-comparison?date=2026-03-15&threshold=5")
            #expect(comparison.status == .ok && comparison.html.contains(" dearer\"") && comparison.html.contains("-9,5\u{00A0}%"),
                    "90.50 against 100: we are dearer by 9.5 %, beyond 5 %")
            let calm = try await browser.get("/reports/price-comparison?date=2026-03-15&threshold=10")
            #expect(!calm.html.contains(" dearer\""), "within 10 % nothing is marked")
            let history = try await browser.get("/reports/price-comparison/\(box)?date=2026-03-15")
            #expect(history.status == .ok && history.html.contains("<polyline") && history.html.contains("Конкурент А"))
            let card = try await browser.get("/partners/\(rival)")
            #expect(card.html.contains("Конкурентная разведка") && card.html.contains("Поставка"))
            let noted = try await browser.submit("/competitor-notes", from: card, ["competitorId": rival.uuidString, "kind": "weakness",
                                                                                   "date": "2026-03-01", "text": "Долгая доставка"])
            #expect(noted.status == .seeOther)
            #expect(try await browser.get("/partners/\(rival)").html.contains("Долгая доставка"))
            let report = try await browser.get("/reports/competitors")
            #expect(report.status == .ok && report.html.contains("Конкурент А"))
            #expect(try await browser.get("/reports/price-comparison.csv?date=2026-03-15").html.contains("BOX-1"))
        }
    }
}
