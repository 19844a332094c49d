import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// The client dossier (DOMAIN.md §6): contacts, counterparties, current deals, sales by month
/// and the last two ABC/XYZ results of one partner, through the access rule.
@Suite struct PartnerDossierTests {
    @Test(arguments: TestDB.all)
    func dossierOfOnePartner(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("north", role: "manager", groups: [])
            let romashka = try await admin.partner("Ромашка", group: south)
            #expect(try await admin.post("/api/v1/counterparties", ["partnerId": romashka.uuidString, "name": "ПАО Сбербанк",
                                                                    "inn": "7707083893", "kpp": "773601001"]).status == .created)
            #expect(try await admin.post("/api/v1/contact-persons", ["partnerId": romashka.uuidString, "name": "Иван Петров",
                                                                     "position": "закупщик"]).status == .created)
            #expect(try await admin.post("/api/v1/contact-persons", ["partnerId": romashka.uuidString, "name": "Бывший",
                                                                     "until": "2025-01-01"]).status == .created)
            let kind = try await admin.dealKind("Опт", type: "free", stages: [])
            let open = try await admin.deal("Поставка", partner: romashka, kind: kind, ["potentialAmount": 5000, "managerProbability": 40])
            let won = try await admin.deal("Старая", partner: romashka, kind: kind)
            #expect(try await admin.post("/api/v1/deals/\(won.id)/win").status == .ok)

            // A sale long ago (classified three times, outside the last twelve months) and one today.
            let goods = try await admin.product("T-1", "Товар")
            let today = CalendarDate(Date(), in: app.sdelka.timeZone)
            #expect(try await admin.sale("s1", date: "2025-01-10", partner: romashka, lines: [(goods, 1, nil, 300, 100)]).status == .created)
            #expect(try await admin.sale("s2", date: today.description, partner: romashka, lines: [(goods, 1, nil, 700, 200)]).status == .created)
            var runDates: [CalendarDate] = []
            for date in ["2025-04-15", "2025-05-10", "2025-06-10"] {
                runDates.append(try await admin.post("/api/v1/classification/run", ["date": date]).decode(ClassificationRunDTO.self).date)
            }

            #expect(try await admin.send(.POST, "/api/v1/interactions", json: JSONObject([
                "type": "call", "topic": "Звонок о поставке", "description": "Договорились о встрече", "incoming": true,
                "participants": [JSONObject(["partnerId": romashka.uuidString])]])).status == .created)
            let dossier = try await admin.get("/api/v1/reports/partners/\(romashka)/dossier").decode(PartnerDossierDTO.self)
            #expect(dossier.lastInteractions?.map(\.topic) == ["Звонок о поставке"])
            #expect(dossier.partner.name == "Ромашка")
            #expect(dossier.counterparties.map(\.name).contains("ПАО Сбербанк"))
            #expect(dossier.contactPersons.map(\.name) == ["Иван Петров"])
            #expect(dossier.openDeals?.map(\.id) == [open.id])
            // The open deal's probability: only the manager's 40 and the partner's and kind's 100 (one won) → 80.
            #expect(dossier.openDeals?.first?.probability == 80)
            #expect(dossier.salesByMonth.map { "\($0.month) \($0.revenue) \($0.grossProfit)" } == ["\(today.description.prefix(7)) 700 500"])
            #expect(dossier.salesLastYear == .init(revenue: 700, grossProfit: 500, salesCount: 1))
            let dates = Set(dossier.classification?.history.map(\.date) ?? [])
            #expect(dates == Set(runDates.suffix(2)))
            #expect(dossier.classification?.history.first { $0.measure == .revenue }.map { "\($0.abc?.rawValue ?? "") \($0.xyz?.rawValue ?? "")" } == "C X") // a single client: C, X (DOMAIN.md §6)

            // Another group's manager does not see it; the CSV lists its sections.
            #expect(try await manager.get("/api/v1/reports/partners/\(romashka)/dossier").status == .notFound)
            let csv = try await admin.send(.GET, "/api/v1/reports/partners/\(romashka)/dossier", headers: ["Accept": "text/csv"]).text
            #expect(csv.contains("contactPerson,Иван Петров,закупщик,") && csv.contains("openDeal,Поставка,80,5000"))

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let page = try await browser.get("/partners/\(romashka)/dossier")
            #expect(page.status == .ok)
            #expect(page.html.contains("Досье партнера: Ромашка") && page.html.contains("ИНН 7707083893, КПП 773601001"))
            #expect(page.html.contains("Иван Петров") && !page.html.contains("Бывший") && page.html.contains("Поставка"))
            #expect(page.html.contains("Последние взаимодействия") && page.html.contains("Звонок о поставке"))
            #expect(page.html.contains("80\u{00A0}%") && page.html.contains("700,00\u{00A0}₽") && page.html.contains("30.04.2025"))
            #expect(try await browser.get("/partners/\(romashka)").html.contains("/partners/\(romashka)/dossier"))

            // With deals switched off the dossier has no deals part.
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["deals"] = false
            #expect(try await admin.put("/api/v1/settings/features", features).status == .ok)
            let reply = try await admin.get("/api/v1/reports/partners/\(romashka)/dossier")
            #expect(reply.status == .ok && !reply.text.contains("openDeals"))
        }
    }
}
