import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Marketing-event and channel effectiveness (DOMAIN.md §6): new partners, deals, won deals,
/// revenue, cost, cost per won client and ROI, every figure worked out below by hand.
@Suite struct MarketingEffectivenessTests {
    @Test(arguments: TestDB.all)
    func eventsAndChannelsFromPrimaryInterest(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await admin.dealKind("Опт", type: "free", stages: [])
            let price = try await admin.lossReason("Цена")
            let fair = try await admin.post("/api/v1/channels", ["name": "Выставка"]).json()["id"] as! String
            let ads = try await admin.post("/api/v1/channels", ["name": "Реклама"]).json()["id"] as! String
            func event(_ name: String, channel: String, start: String, cost: Int) async throws -> String {
                let reply = try await admin.send(.POST, "/api/v1/marketing-events", json: JSONObject([
                    "name": name, "channelId": channel, "plannedStart": start, "plannedEnd": start, "actualCost": cost]))
                #expect(reply.status == .created, "\(reply.text)")
                return try reply.json()["id"] as! String
            }
            let expo = try await event("Продэкспо", channel: fair, start: "2026-02-10", cost: 1000)
            let webinar = try await event("Вебинар", channel: ads, start: "2026-03-01", cost: 400)
            func partner(_ name: String, registered: String, source: [String: String]?) async throws -> UUID {
                var body: [String: any Encodable & Sendable] = ["name": name, "registeredOn": registered]
                if let source { body["source"] = JSONObject(source) }
                let reply = try await admin.post("/api/v1/partners", body)
                #expect(reply.status == .created, "\(reply.text)")
                return try reply.decode(PartnerDTO.self).id
            }
            let romashka = try await partner("Ромашка", registered: "2026-02-12", source: ["channelId": fair, "eventId": expo])
            let lutik = try await partner("Лютик", registered: "2026-02-13", source: ["channelId": fair, "eventId": expo])
            let vasilek = try await partner("Василек", registered: "2026-03-01", source: ["channelId": ads, "eventId": webinar])
            let landysh = try await partner("Ландыш", registered: "2026-01-01", source: nil)

            // Ромашка wins two deals and Лютик loses one (all from Продэкспо through their partner);
            // Ландыш wins one whose own source is the webinar and has an open one with no source;
            // Василек's open deal names the fair channel without an event.
            for (name, partner, outcome) in [("d1", romashka, "win"), ("d2", romashka, "win"), ("d3", lutik, "lose")] {
                let deal = try await admin.deal(name, partner: partner, kind: kind)
                let body: [String: any Encodable & Sendable] = outcome == "lose" ? ["lossReasonId": price] : [:]
                #expect(try await admin.post("/api/v1/deals/\(deal.id)/\(outcome)", body).status == .ok)
            }
            let d4 = try await admin.deal("d4", partner: landysh, kind: kind, ["source": JSONObject(["channelId": ads, "eventId": webinar])])
            #expect(try await admin.post("/api/v1/deals/\(d4.id)/win").status == .ok)
            _ = try await admin.deal("d5", partner: vasilek, kind: kind, ["source": JSONObject(["channelId": fair])])
            _ = try await admin.deal("d6", partner: landysh, kind: kind)

            // Sales: Ромашка's February sale came before it registered and does not count.
            let goods = try await admin.product("T-1", "Товар")
            for (number, date, partner, amount, cost) in [("s1", "2026-02-01", romashka, 500, 300), ("s2", "2026-03-05", romashka, 3000, 1800),
                                                          ("s3", "2026-04-01", lutik, 1000, 900), ("s4", "2026-03-10", vasilek, 200, 100),
                                                          ("s5", "2026-03-10", landysh, 999, 0)] as [(String, String, UUID, Int, Int)] {
                let reply = try await admin.sale(number, date: date, partner: partner, lines: [(goods, 1, nil, Decimal(amount), Decimal(cost))])
                #expect(reply.status == .created, "\(reply.text)")
            }

            func text(_ l: MarketingEffectivenessReport.Line) -> String {
                "\(l.name.isEmpty ? "-" : l.name): p\(l.newPartners) d\(l.deals) w\(l.wonDeals) c\(l.wonClients) r\(l.revenue) gp\(l.grossProfit) "
                    + "cost\(l.cost) cpc\(l.costPerWonClient.map { "\($0)" } ?? "-") roi\(l.roi.map { "\($0)" } ?? "-")"
            }
            let report = try await admin.get("/api/v1/reports/marketing-events").decode(MarketingEffectivenessReport.self)
            // Продэкспо: gross profit 1200 + 100 = 1300, ROI (1300 − 1000) / 1000 = 30 %, one client won for 1000.
            // Вебинар: 100 − 400 over 400 = −75 %.
            #expect(report.events.map(text) == ["Продэкспо: p2 d3 w2 c1 r4000 gp1300 cost1000 cpc1000 roi30",
                                                "Вебинар: p1 d1 w1 c1 r200 gp100 cost400 cpc400 roi-75"])
            #expect(report.channels.map(text) == ["Выставка: p2 d4 w2 c1 r4000 gp1300 cost1000 cpc1000 roi30",
                                                  "Реклама: p1 d1 w1 c1 r200 gp100 cost400 cpc400 roi-75",
                                                  "-: p0 d1 w0 c0 r0 gp0 cost0 cpc- roi-"])

            // From March: the webinar only; the fair registered nobody then but its partners bought 4000.
            let march = try await admin.get("/api/v1/reports/marketing-events?from=2026-03-01").decode(MarketingEffectivenessReport.self)
            #expect(march.events.map(text) == ["Вебинар: p1 d1 w1 c1 r200 gp100 cost400 cpc400 roi-75"])
            #expect(march.channels.first.map(text) == "Выставка: p0 d4 w2 c1 r4000 gp1300 cost0 cpc0 roi-")
            let csv = try await admin.send(.GET, "/api/v1/reports/marketing-events", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n").prefix(2) == [
                "group,name,channel,planned_start,new_partners,deals,won_deals,won_clients,revenue,gross_profit,cost,cost_per_won_client,roi",
                "event,Продэкспо,Выставка,2026-02-10,2,3,2,1,4000,1300,1000,1000,30"])

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let page = try await browser.get("/reports/marketing-events")
            #expect(page.status == .ok)
            #expect(page.html.contains("Продэкспо") && page.html.contains("1\u{00A0}300,00\u{00A0}₽ · ROI 30\u{00A0}%"))
            #expect(page.html.contains("−75\u{00A0}%") || page.html.contains("-75\u{00A0}%"))
            #expect(page.html.contains("Без источника"))
            #expect(try await browser.get("/reports/marketing-events.csv?from=2026-03-01").html.contains("event,Вебинар,Реклама,2026-03-01,1,1,1,1,200,100,400,400,-75"))
        }
    }
}
