import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// The probability forecast (DOMAIN.md §6): open deals × probability by expected close month,
/// the probabilities worked out by hand from DOMAIN.md §4.
@Suite struct ForecastTests {
    @Test(arguments: TestDB.all)
    func openDealsWeightedByProbabilityPerCloseMonth(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let adminID = try await admin.get("/api/v1/me").json()["id"] as! String
            let (_, petrovID) = try await admin.createUser("petrov", role: "head")
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "КП"])
            let price = try await admin.lossReason("Цена")
            let romashka = try await admin.partner("Ромашка"), lutik = try await admin.partner("Лютик")
            // One won and one lost deal of Ромашка by the admin, both at «Интерес»: the win rates of
            // the kind, Ромашка, the admin and «Интерес» are all 50 %.
            let won = try await admin.deal("c1", partner: romashka, kind: kind, ["responsibleId": adminID])
            let lost = try await admin.deal("c2", partner: romashka, kind: kind, ["responsibleId": adminID])
            #expect(try await admin.post("/api/v1/deals/\(won.id)/win").status == .ok)
            #expect(try await admin.post("/api/v1/deals/\(lost.id)/lose", ["lossReasonId": price]).status == .ok)

            // o1: 80, 50, 50, 50, 50 → 56.0, 1000 × 56 % = 560.
            let o1 = try await admin.deal("o1", partner: romashka, kind: kind, ["responsibleId": adminID, "potentialAmount": 1000,
                                                                                 "managerProbability": 80, "endDate": "2026-12-20"])
            // o2: Лютик has no closed deal: 50, 50, 50 → 50.0, 500 × 50 % = 250.
            _ = try await admin.deal("o2", partner: lutik, kind: kind, ["responsibleId": adminID, "potentialAmount": 500, "endDate": "2026-12-05"])
            // o3: Petrov's, at «КП» (no closed deal reached it): 10 and the kind's 50 → 30.0, 300 × 30 % = 90.
            let o3 = try await admin.deal("o3", partner: lutik, kind: kind, ["responsibleId": petrovID, "potentialAmount": 300,
                                                                              "managerProbability": 10, "endDate": "2027-01-10"])
            #expect(try await admin.stage(o3, kind.stages[1]).status == .ok)
            // o4: no amount and no date: 50.0, weighted 0.
            _ = try await admin.deal("o4", partner: romashka, kind: kind, ["responsibleId": adminID])

            #expect(try await admin.get("/api/v1/deals/\(o1.id)").decode(DealDTO.self).probability == 56)
            let report = try await admin.get("/api/v1/reports/forecast").decode(ForecastReport.self)
            func text(_ m: ForecastReport.Month) -> String {
                "\(m.month ?? "-") \(m.responsible.map { $0 + " " } ?? "")\(m.count) \(m.potential) \(m.weighted) \(m.meanProbability.map { "\($0)" } ?? "-")"
            }
            // December: (56 + 50) / 2 = 53; all four: (56 + 50 + 30 + 50) / 4 = 46.5.
            #expect(report.months.map(text) == ["2026-12 2 1500 810 53", "2027-01 1 300 90 30", "- 1 0 0 50"])
            #expect(text(report.total) == "- 4 1800 900 46.5")
            #expect(report.byResponsible.map(text) == ["2026-12 Administrator 2 1500 810 53", "2027-01 Petrov 1 300 90 30", "- Administrator 1 0 0 50"])

            let december = try await admin.get("/api/v1/reports/forecast?from=2026-12-01&to=2026-12-31").decode(ForecastReport.self)
            #expect(december.months.map(text) == ["2026-12 2 1500 810 53"])
            let petrovs = try await admin.get("/api/v1/reports/forecast?responsibleId=\(petrovID)").decode(ForecastReport.self)
            #expect(text(petrovs.total) == "- 1 300 90 30")
            let csv = try await admin.send(.GET, "/api/v1/reports/forecast", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n").prefix(2) == ["month,responsible,count,potential,weighted,mean_probability", "2026-12,,2,1500,810,53"])

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let page = try await browser.get("/reports/forecast")
            #expect(page.status == .ok)
            #expect(page.html.contains("12.2026") && page.html.contains("810,00\u{00A0}₽") && page.html.contains("46,5\u{00A0}%"))
            #expect(page.html.contains("Без даты") && page.html.contains("Petrov") && page.html.contains("class=\"won\""))
            #expect(try await browser.get("/reports/forecast.csv?responsibleId=\(petrovID)").html.contains("2027-01,,1,300,90,30"))
        }
    }
}
