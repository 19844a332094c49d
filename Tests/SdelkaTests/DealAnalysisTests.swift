import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Deal analysis (DOMAIN.md §6): count, potential, won amount, win rate and mean cycle grouped
/// by any dimension, on four deals whose figures are worked out by hand below.
@Suite struct DealAnalysisTests {
    @Test(arguments: TestDB.all)
    func dealsGroupedByPartnerStatusChannelCompetitorAndMonth(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let today = CalendarDate(Date(), in: app.sdelka.timeZone)
            func daysAgo(_ n: Int) -> String { CalendarDate(dayNumber: today.dayNumber - n)!.description }
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "КП"])
            let price = try await admin.lossReason("Цена")
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("south", role: "manager", groups: [south])
            let romashka = try await admin.partner("Ромашка"), lutik = try await admin.partner("Лютик", group: south)
            let rival = try await admin.post("/api/v1/partners", ["name": "Конкурент", "isCompetitor": true]).decode(PartnerDTO.self).id
            let fair = try await admin.post("/api/v1/channels", ["name": "Выставка"]).json()["id"] as! String

            // d1 Ромашка 100, 10 days, won, from the fair, against the competitor; d2 Ромашка 200,
            // 20 days, lost; d3 Лютик 300 and d4 Лютик without amount, both open, started in
            // January and February 2026.
            let d1 = try await admin.deal("d1", partner: romashka, kind: kind, [
                "potentialAmount": 100, "startDate": daysAgo(10), "source": JSONObject(["channelId": fair]),
                "participants": [JSONObject(["partnerId": rival.uuidString, "role": "конкурент"])]])
            let d2 = try await admin.deal("d2", partner: romashka, kind: kind, ["potentialAmount": 200, "startDate": daysAgo(20)])
            _ = try await admin.deal("d3", partner: lutik, kind: kind, ["potentialAmount": 300, "startDate": "2026-01-15"])
            _ = try await admin.deal("d4", partner: lutik, kind: kind, ["startDate": "2026-02-03"])
            #expect(try await admin.post("/api/v1/deals/\(d1.id)/win").status == .ok)
            #expect(try await admin.post("/api/v1/deals/\(d2.id)/lose", ["lossReasonId": price]).status == .ok)

            func report(_ query: String, as api: API? = nil) async throws -> DealAnalysisReport {
                let reply = try await (api ?? admin).get("/api/v1/reports/deals?\(query)")
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                return try reply.decode(DealAnalysisReport.self)
            }
            func lines(_ r: DealAnalysisReport) -> [String] {
                r.groups.map { g in
                    g.keys.map(\.name).joined(separator: "/") + " \(g.count) o\(g.open) w\(g.won) l\(g.lost) \(g.potential) \(g.wonAmount) "
                        + "\(g.winRate.map { "\($0)%" } ?? "-") \(g.meanCycleDays.map { "\($0)d" } ?? "-")"
                }
            }

            // Ромашка: won 1 of 2 closed → 50 %, cycles 10 and 20 → 15 days. Лютик: nothing closed.
            let byPartner = try await report("groupBy=partner")
            #expect(lines(byPartner) == ["Лютик 2 o2 w0 l0 300 0 - -", "Ромашка 2 o0 w1 l1 300 100 50% 15d"])
            #expect(lines(DealAnalysisReport(groupBy: [], groups: [byPartner.total], total: byPartner.total)) == [" 4 o2 w1 l1 600 100 50% 15d"])
            #expect(lines(try await report("groupBy=status")) == ["open 2 o2 w0 l0 300 0 - -", "won 1 o0 w1 l0 100 100 100% 10d",
                                                                    "lost 1 o0 w0 l1 200 0 0% 20d"])
            #expect(lines(try await report("groupBy=channel")) == ["Выставка 1 o0 w1 l0 100 100 100% 10d", " 3 o2 w0 l1 500 0 0% 20d"])
            #expect(lines(try await report("groupBy=competitor,lossReason")) == [
                "Конкурент/ 1 o0 w1 l0 100 100 100% 10d", "/Цена 1 o0 w0 l1 200 0 0% 20d", "/ 2 o2 w0 l0 300 0 - -"])
            let months = try await report("groupBy=month&to=2026-06-30")
            #expect(lines(months) == ["2026-01 1 o1 w0 l0 300 0 - -", "2026-02 1 o1 w0 l0 0 0 - -"])
            #expect(months.total.count == 2)
            let twoLevels = try await report("groupBy=partner,status")
            #expect(twoLevels.groups.map { $0.keys.map(\.name).joined(separator: "/") } == ["Лютик/open", "Ромашка/won", "Ромашка/lost"])
            #expect(twoLevels.groups[0].keys[0] == .init(dimension: .partner, value: lutik.uuidString, name: "Лютик"))

            // A manager of Юг sees only Лютик's deals.
            #expect(lines(try await report("groupBy=partner", as: manager)) == ["Лютик 2 o2 w0 l0 300 0 - -"])
            let bad = try await admin.get("/api/v1/reports/deals?groupBy=partner,colour")
            #expect(bad.status == .unprocessableEntity && bad.text.contains("groupBy") && bad.text.contains("must be a list of"))
            let csv = try await admin.send(.GET, "/api/v1/reports/deals?groupBy=partner", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n").prefix(3) == [
                "partner,count,open,won,lost,potential,won_amount,win_rate,mean_cycle_days",
                "Лютик,2,2,0,0,300,0,,", "Ромашка,2,0,1,1,300,100,50,15"])

            // The page: two levels from its selects, statuses in words, the trend columns, the CSV link.
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let page = try await browser.get("/reports/deals?groupBy=partner&groupBy=status&groupBy=")
            #expect(page.status == .ok)
            #expect(page.html.contains("<td data-label=\"Партнер\">Ромашка</td><td data-label=\"Статус\">Выиграна</td>"))
            #expect(page.html.contains("50\u{00A0}%") && page.html.contains("600,00\u{00A0}₽"))
            #expect(page.html.contains("<rect x=\"0\"") && page.html.contains("class=\"won\""))
            let exported = try await browser.get("/reports/deals.csv?groupBy=partner&groupBy=status&groupBy=")
            #expect(exported.html.hasPrefix("partner,status,count"))
        }
    }
}
