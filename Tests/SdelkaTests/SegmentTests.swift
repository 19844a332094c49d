import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Partner segments (DOMAIN.md §7): manual lists, dynamic rules evaluated on use, periodic
/// rules stored and refreshed; rules over partner fields, sales, deals and classes.
@Suite struct SegmentTests {
    struct Fixture {
        var admin: API
        var manager: API
        var romashka: UUID, lutik: UUID, vasilek: UUID, landysh: UUID
        var south: String
        var goods: UUID
    }

    /// Ромашка (client, Юг, region Юг): 1000 on 2026-03-10 and 500 on 2026-04-10; Лютик (client):
    /// 300 on 2026-03-15; Василек (a supplier, no sales); Ландыш (client): 50 today.
    static func fixture(_ app: Application) async throws -> Fixture {
        let admin = try await API.admin(app)
        let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
        let region = try await admin.post("/api/v1/business-regions", ["name": "Юг"]).json()["id"] as! String
        let (manager, _) = try await admin.createUser("south", role: "manager", groups: [south])
        func partner(_ name: String, _ extra: [String: any Encodable & Sendable]) async throws -> UUID {
            var body: [String: any Encodable & Sendable] = ["name": name]
            body.merge(extra) { $1 }
            let reply = try await admin.post("/api/v1/partners", body)
            #expect(reply.status == .created, "\(reply.text)")
            return try reply.decode(PartnerDTO.self).id
        }
        let romashka = try await partner("Ромашка", ["isClient": true, "accessGroupId": south, "businessRegionId": region])
        let lutik = try await partner("Лютик", ["isClient": true])
        let vasilek = try await partner("Василек", ["isClient": false, "isSupplier": true])
        let landysh = try await partner("Ландыш", ["isClient": true])
        let goods = try await admin.product("T-1", "Товар")
        let today = CalendarDate(Date(), in: app.sdelka.timeZone).description
        for (number, date, partner, amount) in [("s1", "2026-03-10", romashka, 1000), ("s2", "2026-04-10", romashka, 500),
                                                ("s3", "2026-03-15", lutik, 300), ("s4", today, landysh, 50)] as [(String, String, UUID, Int)] {
            #expect(try await admin.sale(number, date: date, partner: partner, lines: [(goods, 1, nil, Decimal(amount), 0)]).status == .created)
        }
        return Fixture(admin: admin, manager: manager, romashka: romashka, lutik: lutik, vasilek: vasilek, landysh: landysh, south: south, goods: goods)
    }

    static func names(_ api: API, _ segment: String) async throws -> [String] {
        try await api.get("/api/v1/segments/\(segment)/members?per=100").decode(PageDTO<SegmentMemberDTO>.self).items.map(\.name)
    }

    static func create(_ api: API, _ body: [String: any Encodable & Sendable]) async throws -> SegmentDTO {
        let reply = try await api.send(.POST, "/api/v1/segments", json: JSONObject(body))
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(SegmentDTO.self)
    }

    @Test(arguments: TestDB.all)
    func dynamicAndPeriodicRules(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let f = try await Self.fixture(app)
            let admin = f.admin
            let today = CalendarDate(Date(), in: app.sdelka.timeZone).description
            // Clients with at least 1000 in March–April 2026: Ромашка (1500); Лютик has 300.
            let big = try await Self.create(admin, ["name": "Крупные весной", "kind": "dynamic", "rule": JSONObject([
                "isClient": true, "sales": JSONObject(["from": "2026-03-01", "to": "2026-04-30", "minRevenue": 1000])])])
            #expect(try await Self.names(admin, big.id.uuidString) == ["Ромашка"])
            #expect(big.memberCount == 1)
            // Clients without a sale in the last 30 days: Ромашка and Лютик, not Ландыш (today).
            let lapsed = try await Self.create(admin, ["name": "Уснувшие", "kind": "periodic", "rule": JSONObject(["isClient": true, "noSalesDays": 30])])
            #expect(try await Self.names(admin, lapsed.id.uuidString) == ["Лютик", "Ромашка"])
            #expect(lapsed.refreshedAt != nil)

            // Лютик buys 800 in April and today: the dynamic segment follows at once; the periodic
            // one keeps its stored members until it is refreshed.
            #expect(try await admin.sale("s5", date: "2026-04-20", partner: f.lutik, lines: [(f.goods, 1, nil, 800, 0)]).status == .created)
            #expect(try await admin.sale("s6", date: today, partner: f.lutik, lines: [(f.goods, 1, nil, 10, 0)]).status == .created)
            #expect(try await Self.names(admin, big.id.uuidString) == ["Лютик", "Ромашка"])
            #expect(try await Self.names(admin, lapsed.id.uuidString) == ["Лютик", "Ромашка"])
            let refreshed = try await admin.post("/api/v1/segments/\(lapsed.id)/refresh").decode(SegmentDTO.self)
            #expect(refreshed.memberCount == 1)
            #expect(try await Self.names(admin, lapsed.id.uuidString) == ["Ромашка"])
            // The server refreshes periodic segments once a day.
            let zone = app.sdelka.timeZone, now = Date()
            #expect(try await SegmentSchedule.tick(app.db, zone: zone, now: now) == 1)
            #expect(try await SegmentSchedule.tick(app.db, zone: zone, now: now) == nil)
            #expect(try await SegmentSchedule.tick(app.db, zone: zone, now: now.addingTimeInterval(86_400)) == 1)

            // Region, suppliers, open deals; and a manager sees only members of their groups.
            let southern = try await Self.create(admin, ["name": "Юг", "kind": "dynamic", "rule": JSONObject([
                "businessRegionIds": [try await admin.get("/api/v1/partners/\(f.romashka)").decode(PartnerDTO.self).businessRegionId!.uuidString]])])
            #expect(try await Self.names(admin, southern.id.uuidString) == ["Ромашка"])
            let suppliers = try await Self.create(admin, ["name": "Поставщики", "kind": "dynamic", "rule": JSONObject(["isSupplier": true])])
            #expect(try await Self.names(admin, suppliers.id.uuidString) == ["Василек"])
            let kind = try await admin.dealKind("Опт", type: "free", stages: [])
            _ = try await admin.deal("Поставка", partner: f.lutik, kind: kind)
            let dealing = try await Self.create(admin, ["name": "В работе", "kind": "dynamic", "rule": JSONObject(["hasOpenDeals": true])])
            #expect(try await Self.names(admin, dealing.id.uuidString) == ["Лютик"])
            #expect(try await Self.names(f.manager, big.id.uuidString) == ["Ромашка"])
            // Contacted in the last week (a call with Лютик's contact person today) and not contacted.
            let anna = try await admin.post("/api/v1/contact-persons", ["partnerId": f.lutik.uuidString, "name": "Анна"]).json()["id"] as! String
            #expect(try await admin.send(.POST, "/api/v1/interactions", json: JSONObject([
                "type": "call", "topic": "Звонок", "description": "Про заказ", "incoming": true,
                "participants": [JSONObject(["contactPersonId": anna])]])).status == .created)
            let contacted = try await Self.create(admin, ["name": "На связи", "kind": "dynamic", "rule": JSONObject(["interactionWithinDays": 7])])
            #expect(try await Self.names(admin, contacted.id.uuidString) == ["Лютик"])
            let silent = try await Self.create(admin, ["name": "Давно не звонили", "kind": "dynamic", "rule": JSONObject(["isClient": true, "noInteractionDays": 30])])
            #expect(try await Self.names(admin, silent.id.uuidString) == ["Ландыш", "Ромашка"])
            #expect(try await f.manager.get("/api/v1/segments/\(big.id)").decode(SegmentDTO.self).memberCount == 1)

            // Classes of the latest run: the segment of the top client's class is the report's clients of that class.
            _ = try await admin.post("/api/v1/classification/run", ["date": "2026-05-10"])
            let report = try await admin.get("/api/v1/reports/abc-xyz?measure=revenue").decode(ABCXYZReportDTO.self)
            let topClass = try #require(report.items.first?.abc)
            let aClients = try await Self.create(admin, ["name": "A", "kind": "dynamic", "rule": JSONObject(["classes": JSONObject(["measure": "revenue", "abc": [topClass.rawValue]])])])
            let expected = report.items.filter { $0.abc == topClass }.map(\.partnerId)
            let members = try await admin.get("/api/v1/segments/\(aClients.id)/members").decode(PageDTO<SegmentMemberDTO>.self).items.map(\.partnerId)
            #expect(!expected.isEmpty && Set(members) == Set(expected))

            // Bad rules are refused field by field.
            let noRule = try await admin.send(.POST, "/api/v1/segments", json: JSONObject(["name": "x", "kind": "dynamic"]))
            #expect(noRule.status == .unprocessableEntity && noRule.errorFields == ["rule": "is required for a dynamic or periodic segment"])
            let bad = try await admin.send(.POST, "/api/v1/segments", json: JSONObject(["name": "x", "kind": "periodic", "rule": JSONObject([
                "sales": JSONObject(["minRevenue": 1.234, "lastDays": 0]), "registeredFrom": "2026-05-01", "registeredTo": "2026-04-01"])]))
            #expect(bad.errorFields == ["rule.sales.minRevenue": "must have at most 2 decimals and be less than a trillion", "rule.sales.lastDays": "must be from 1 to 3660",
                                        "rule.registeredTo": "must not be before registeredFrom"])
            let manualRule = try await admin.send(.POST, "/api/v1/segments", json: JSONObject(["name": "x", "kind": "manual", "rule": JSONObject(["isClient": true])]))
            #expect(manualRule.errorFields == ["rule": "applies to dynamic and periodic segments only"])
        }
    }

    @Test(arguments: TestDB.all)
    func manualListsAndTheAuditAndTheSwitch(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let f = try await Self.fixture(app)
            let admin = f.admin
            let vip = try await Self.create(admin, ["name": "VIP", "kind": "manual"])
            let added = try await admin.post("/api/v1/segments/\(vip.id)/members", ["partnerIds": [f.vasilek.uuidString, f.landysh.uuidString, f.romashka.uuidString]])
            #expect(try added.status == .ok && added.decode(SegmentDTO.self).memberCount == 3)
            #expect(try await admin.delete("/api/v1/segments/\(vip.id)/members/\(f.landysh)").status == .ok)
            #expect(try await Self.names(admin, vip.id.uuidString) == ["Василек", "Ромашка"])
            // The manager sees only Ромашка and cannot add a partner outside their groups.
            #expect(try await Self.names(f.manager, vip.id.uuidString) == ["Ромашка"])
            let refused = try await f.manager.post("/api/v1/segments/\(vip.id)/members", ["partnerIds": [f.romashka.uuidString]])
            #expect(refused.status == .forbidden, "the list holds Василек, outside the manager's groups")
            let own = try await Self.create(f.manager, ["name": "Мои", "kind": "manual"])
            let outside = try await f.manager.post("/api/v1/segments/\(own.id)/members", ["partnerIds": [f.lutik.uuidString]])
            #expect(outside.status == .unprocessableEntity && outside.errorFields == ["partnerIds.0": "names a partner that does not exist"])
            // A manual segment is not refreshed; a periodic one takes no members by hand.
            #expect(try await admin.post("/api/v1/segments/\(vip.id)/refresh").status == .unprocessableEntity)
            let audit = try await admin.get("/api/v1/audit?objectType=segment&objectId=\(vip.id)").text
            #expect(audit.contains("added") && audit.contains("removed"))
            // Merging Василек into Лютик puts Лютик on the list in its place.
            #expect(try await admin.post("/api/v1/partners/\(f.vasilek)/merge", ["intoId": f.lutik.uuidString]).status == .ok)
            #expect(try await Self.names(admin, vip.id.uuidString) == ["Лютик", "Ромашка"])
            #expect(try await admin.post("/api/v1/segments/\(vip.id)/members", ["partnerIds": [f.vasilek.uuidString]]).status == .unprocessableEntity)

            // A stop-list blocks new sales to its members, not returns.
            #expect(try await admin.patch("/api/v1/segments/\(vip.id)", ["stopList": true, "version": vip.version]).status == .ok)
            let blocked = try await admin.sale("s9", date: "2026-05-01", partner: f.lutik, lines: [(f.goods, 1, nil, 100, 0)])
            #expect(blocked.status == .unprocessableEntity && blocked.errorFields == ["partnerId": "is in the stop-list: VIP"])
            #expect(try await admin.sale("r9", date: "2026-05-01", partner: f.lutik, lines: [(f.goods, -1, nil, -100, 0)]).status == .created)
            #expect(try await admin.sale("s10", date: "2026-05-01", partner: f.landysh, lines: [(f.goods, 1, nil, 100, 0)]).status == .created)

            // The partner list filters by segment.
            let listed = try await admin.get("/api/v1/partners?segmentId=\(vip.id)").decode(PageDTO<PartnerDTO>.self)
            #expect(listed.items.map(\.name).sorted() == ["Лютик", "Ромашка"])
            #expect(listed.items.allSatisfy { $0.segmentIds.contains(vip.id) })

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["segments"] = false
            #expect(try await admin.put("/api/v1/settings/features", features).status == .ok)
            #expect(try await admin.get("/api/v1/segments").errorCode == "feature_disabled")
        }
    }

    @Test(arguments: TestDB.all)
    func segmentComparison(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let f = try await Self.fixture(app)
            let admin = f.admin
            let clients = try await Self.create(admin, ["name": "Клиенты", "kind": "dynamic", "rule": JSONObject(["isClient": true])])
            let vip = try await Self.create(admin, ["name": "VIP", "kind": "manual"])
            _ = try await admin.post("/api/v1/segments/\(vip.id)/members", ["partnerIds": [f.romashka.uuidString]])
            // Ромашка: won 1000, open 200; Лютик: lost 300.
            let kind = try await admin.dealKind("Опт", type: "free", stages: [])
            let price = try await admin.lossReason("Цена")
            let d1 = try await admin.deal("d1", partner: f.romashka, kind: kind, ["potentialAmount": 1000])
            _ = try await admin.deal("d2", partner: f.romashka, kind: kind, ["potentialAmount": 200])
            let d3 = try await admin.deal("d3", partner: f.lutik, kind: kind, ["potentialAmount": 300])
            _ = try await admin.post("/api/v1/deals/\(d1.id)/win")
            _ = try await admin.post("/api/v1/deals/\(d3.id)/lose", ["lossReasonId": price])

            func text(_ l: SegmentComparisonReport.Line) -> String {
                func figures(_ x: SegmentComparisonReport.Figures?) -> String {
                    guard let x else { return "-" }
                    return "\(x.dealsOpen)/\(x.dealsWon)/\(x.dealsLost) \(x.potentialOpen)/\(x.potentialWon)/\(x.potentialLost) \(x.revenue) \(x.grossProfit) \(x.salesCount)"
                }
                return "\(l.name) \(l.partners): \(figures(l.totals)) | \(figures(l.perPartner))"
            }
            let both = "segmentIds=\(clients.id),\(vip.id)"
            let report = try await admin.get("/api/v1/reports/segments-compare?\(both)").decode(SegmentComparisonReport.self)
            // Клиенты: Ромашка, Лютик and Ландыш; sales 1000 + 500 + 300 + 50 = 1850 in 4 documents; per partner ÷ 3.
            #expect(report.segments.map(text) == [
                "Клиенты 3: 1/1/1 200/1000/300 1850 1850 4 | 0.33/0.33/0.33 66.67/333.33/100 616.67 616.67 1.33",
                "VIP 1: 1/1/0 200/1000/0 1500 1500 2 | 1/1/0 200/1000/0 1500 1500 2"])
            // March 2026: the deals started later; sales 1000 + 300.
            let march = try await admin.get("/api/v1/reports/segments-compare?\(both)&from=2026-03-01&to=2026-03-31").decode(SegmentComparisonReport.self)
            #expect(march.segments.first.map(text) == "Клиенты 3: 0/0/0 0/0/0 1300 1300 2 | 0/0/0 0/0/0 433.33 433.33 0.67")
            // The manager of Юг sees only Ромашка.
            let theirs = try await f.manager.get("/api/v1/reports/segments-compare?segmentIds=\(clients.id)").decode(SegmentComparisonReport.self)
            #expect(theirs.segments.map { "\($0.partners) \($0.totals.revenue)" } == ["1 1500"])
            let csv = try await admin.send(.GET, "/api/v1/reports/segments-compare?\(both)", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n").prefix(2) == [
                "segment,partners,per,deals_open,deals_won,deals_lost,potential_open,potential_won,potential_lost,revenue,gross_profit,sales_count,claims,claims_satisfied_share",
                "Клиенты,3,segment,1,1,1,200,1000,300,1850,1850,4,0,"])
            let bad = try await admin.get("/api/v1/reports/segments-compare?segmentIds=x")
            #expect(bad.errorFields == ["segmentIds": "is not a list of UUIDs"])
        }
    }
}

extension SegmentTests {
    /// «Contacted within N days» counts the company's days (Moscow here), not UTC's: a meeting
    /// at 00:30 today in Moscow is 21:30 yesterday in UTC and still today's.
    @Test(arguments: TestDB.all)
    func interactionDaysBeginAtTheCompanysMidnight(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let zone = app.sdelka.timeZone
            #expect(zone.secondsFromGMT() == 3 * 3600, "the default zone is Moscow's")
            let midnight = CalendarDate(Date(), in: zone).start(in: zone), iso = ISO8601DateFormatter()
            for (name, start) in [("Сегодня", midnight.addingTimeInterval(30 * 60)), ("Вчера", midnight.addingTimeInterval(-30 * 60))] {
                let partner = try await admin.post("/api/v1/partners", ["name": name]).decode(PartnerDTO.self).id
                let person = try await admin.post("/api/v1/contact-persons", ["partnerId": partner.uuidString, "name": "Анна"]).json()["id"] as! String
                #expect(try await admin.send(.POST, "/api/v1/interactions", json: JSONObject([
                    "type": "meeting", "topic": "Встреча", "description": "О поставках", "start": iso.string(from: start),
                    "participants": [JSONObject(["contactPersonId": person])]])).status == .created)
            }
            let today = try await Self.create(admin, ["name": "Сегодня на связи", "kind": "dynamic", "rule": JSONObject(["interactionWithinDays": 1])])
            #expect(try await Self.names(admin, today.id.uuidString) == ["Сегодня"])
            let silent = try await Self.create(admin, ["name": "Не было сегодня", "kind": "dynamic", "rule": JSONObject(["noInteractionDays": 1])])
            #expect(try await Self.names(admin, silent.id.uuidString) == ["Вчера"])
        }
    }
}
