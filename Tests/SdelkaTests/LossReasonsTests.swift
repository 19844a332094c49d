import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Loss reasons (DOMAIN.md §6): lost deals and their potential by reason, by responsible ×
/// reason and by client × reason.
@Suite struct LossReasonsTests {
    @Test(arguments: TestDB.all)
    func lostDealsByReasonResponsibleAndClient(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "КП"])
            let price = try await admin.lossReason("Цена"), terms = try await admin.lossReason("Сроки")
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let (manager, managerID) = try await admin.createUser("south", role: "manager", groups: [south])
            let romashka = try await admin.partner("Ромашка", group: south), lutik = try await admin.partner("Лютик")
            // Ромашка: two lost on price (100 by admin, 200 by the manager); Лютик: one lost on
            // terms (300), one won (400, not counted).
            for (name, partner, amount, reason, responsible) in [("d1", romashka, 100, price, nil), ("d2", romashka, 200, price, managerID),
                                                                 ("d3", lutik, 300, terms, nil)] as [(String, UUID, Int, String, String?)] {
                var extra: [String: any Encodable & Sendable] = ["potentialAmount": amount]
                if let responsible { extra["responsibleId"] = responsible }
                let deal = try await admin.deal(name, partner: partner, kind: kind, extra)
                #expect(try await admin.post("/api/v1/deals/\(deal.id)/lose", ["lossReasonId": reason]).status == .ok)
            }
            let won = try await admin.deal("d4", partner: lutik, kind: kind, ["potentialAmount": 400])
            #expect(try await admin.post("/api/v1/deals/\(won.id)/win").status == .ok)

            let report = try await admin.get("/api/v1/reports/loss-reasons").decode(LossReasonsReport.self)
            #expect(report.reasons.map { "\($0.reason) \($0.count) \($0.potential)" } == ["Цена 2 300", "Сроки 1 300"])
            // d1 and d3 have no responsible; d2 is the manager's.
            #expect(report.byResponsible.map { "\($0.name): \($0.reason) \($0.count)" } == [": Сроки 1", ": Цена 1", "South: Цена 1"])
            #expect(report.byPartner.map { "\($0.name): \($0.reason) \($0.count)" } == ["Ромашка: Цена 2", "Лютик: Сроки 1"])

            // A manager sees only Юг's client; a period before the losses has none.
            let theirs = try await manager.get("/api/v1/reports/loss-reasons").decode(LossReasonsReport.self)
            #expect(theirs.reasons.map { "\($0.reason) \($0.count)" } == ["Цена 2"])
            let past = try await admin.get("/api/v1/reports/loss-reasons?to=2020-12-31").decode(LossReasonsReport.self)
            #expect(past.reasons.isEmpty)
            let csv = try await admin.send(.GET, "/api/v1/reports/loss-reasons", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n").prefix(2) == ["group,name,reason,count,potential", "reason,,Цена,2,300"])

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let page = try await browser.get("/reports/loss-reasons")
            #expect(page.html.contains("Цена") && page.html.contains("2 · 300,00\u{00A0}₽") && page.html.contains("Ромашка"))
        }
    }
}
