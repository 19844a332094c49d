import Fluent
import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Segments through the web UI: a rule typed into the form (with its errors in Russian), a
/// manual list filled from the members page, a periodic one refreshed, and the comparison.
@Suite struct SegmentWebTests {
    @Test(arguments: TestDB.all)
    func aMarketerBuildsSegmentsFromTheForms(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let f = try await SegmentTests.fixture(app)
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.get("/segments/new")
            #expect(form.status == .ok && form.html.contains("Новый сегмент") && form.html.contains("rule.sales.minRevenue"))

            let bad = try await browser.submit("/segments", from: form, ["name": "Крупные", "kind": "dynamic", "rule.sales.minRevenue": "много",
                                                                        "rule.noSalesDays": "0"])
            #expect(bad.status == .unprocessableEntity && bad.html.contains("value=\"много\"") && bad.html.contains("Нужно число"))
            let outOfRange = try await browser.submit("/segments", from: form, ["name": "Крупные", "kind": "dynamic", "rule.noSalesDays": "0"])
            #expect(outOfRange.status == .unprocessableEntity && outOfRange.html.contains("Должно быть от 1 до 3660"))
            let saved = try await browser.submit("/segments", from: form, [
                "name": "Крупные", "kind": "dynamic", "rule.isClient": "true", "rule.sales.from": "2026-03-01", "rule.sales.to": "2026-04-30",
                "rule.sales.minRevenue": "1 000,00"])
            #expect(saved.status == .seeOther)
            let big = try #require(try await Segment.query(on: app.db).filter(\.$name == "Крупные").first())
            #expect(big.rule?.sales?.minRevenue == 1000 && big.rule?.isClient == true)
            let card = try await browser.get("/segments/\(big.id!)")
            #expect(card.html.contains("Состав сегмента · 1") && card.html.contains("value=\"2026-03-01\""))
            let members = try await browser.get("/segments/\(big.id!)/members")
            #expect(members.html.contains("Ромашка") && !members.html.contains("Лютик"))

            // A manual list: add Лютик from the members page, then remove him.
            #expect(try await browser.submit("/segments", from: form, ["name": "VIP", "kind": "manual"]).status == .seeOther)
            let vip = try #require(try await Segment.query(on: app.db).filter(\.$name == "VIP").first())
            let page = try await browser.get("/segments/\(vip.id!)/members")
            #expect(try await browser.submit("/segments/\(vip.id!)/members", from: page, ["partnerId": f.lutik.uuidString]).status == .seeOther)
            #expect(try await browser.get("/segments/\(vip.id!)/members").html.contains("Лютик"))
            #expect(try await browser.submit("/segments/\(vip.id!)/members/\(f.lutik)/remove", from: page, [:]).status == .seeOther)
            #expect(try await browser.get("/segments/\(vip.id!)/members").html.contains("В сегменте нет партнеров"))

            // The partner list filters by segment; the card names the lists the partner is on.
            _ = try await f.admin.post("/api/v1/segments/\(vip.id!)/members", ["partnerIds": [f.landysh.uuidString]])
            let filtered = try await browser.get("/partners?segmentId=\(vip.id!)")
            #expect(filtered.html.contains("Ландыш") && !filtered.html.contains(">Ромашка<"))
            #expect(try await browser.get("/partners/\(f.landysh)").html.contains("<dt>Сегменты</dt><dd>VIP</dd>"))

            let eventForm = try await browser.get("/marketing-events/new")
            #expect(eventForm.html.contains("Целевой сегмент") && eventForm.html.contains(">VIP</option>"))

            // A periodic one with classes and lapsed clients; refreshed from its page.
            #expect(try await browser.submit("/segments", from: form, ["name": "Уснувшие", "kind": "periodic", "rule.noSalesDays": "30",
                                                                       "rule.isClient": "true"]).status == .seeOther)
            let lapsed = try #require(try await Segment.query(on: app.db).filter(\.$name == "Уснувшие").first())
            let lapsedPage = try await browser.get("/segments/\(lapsed.id!)/members")
            #expect(lapsedPage.html.contains("Обновить состав") && lapsedPage.html.contains("Ромашка") && lapsedPage.html.contains("Лютик"))
            let refreshed = try await browser.submit("/segments/\(lapsed.id!)/refresh", from: lapsedPage, [:])
            #expect(refreshed.status == .seeOther)

            let list = try await browser.get("/segments")
            #expect(list.html.contains("Крупные") && list.html.contains("Периодический"))
            let compare = try await browser.get("/reports/segments-compare?segmentIds=\(big.id!)&segmentIds=\(lapsed.id!)")
            #expect(compare.status == .ok && compare.html.contains("1\u{00A0}500,00\u{00A0}₽") && compare.html.contains("на партнера"))
            #expect(try await browser.get("/reports/segments-compare.csv?segmentIds=\(big.id!)").html.hasPrefix("segment,partners,per"))
        }
    }
}
