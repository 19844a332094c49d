import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Clients' claims (DOMAIN.md §7): register, take up, close with an outcome, reopen; the
/// analysis by cause, month and product on a worked example; access through the partner's group.
@Suite struct ClaimTests {
    struct Claims {
        var admin: API
        var a: UUID, b: UUID
        var defect: String, late: String, warehouse: String
        var p1: UUID, p2: UUID
        var ids: [String]
    }

    static func claim(_ api: API, _ body: [String: any Encodable & Sendable]) async throws -> ClaimDTO {
        let reply = try await api.send(.POST, "/api/v1/claims", json: JSONObject(body))
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(ClaimDTO.self)
    }

    static func move(_ api: API, _ id: String, _ body: [String: any Encodable & Sendable]) async throws -> API.Reply {
        try await api.send(.POST, "/api/v1/claims/\(id)/status", json: JSONObject(body))
    }

    /// Five claims checked by hand:
    /// C1 A 2026-01-10 defect 10,000 on sale S1 (P1, P2), satisfied 2026-01-14 (4 days) settling 8,000;
    /// C2 A 2026-01-20 defect 5,000, satisfied 2026-01-30 (10 days) settling 5,000;
    /// C3 B 2026-02-03 defect 2,500, not satisfied 2026-02-10 (7 days);
    /// C4 B 2026-02-15 late 1,000, registered; C5 A 2026-03-01 late, no amount, in process.
    static func worked(_ app: Application, groups: (a: String?, b: String?) = (nil, nil)) async throws -> Claims {
        let admin = try await API.admin(app)
        let a = try await admin.partner("Альфа", group: groups.a)
        let b = try await admin.partner("Бета", group: groups.b)
        let defect = try await admin.post("/api/v1/claim-causes", ["name": "Брак"]).json()["id"] as! String
        let late = try await admin.post("/api/v1/claim-causes", ["name": "Срыв сроков"]).json()["id"] as! String
        let warehouse = try await admin.post("/api/v1/claim-departments", ["name": "Склад"]).json()["id"] as! String
        let p1 = try await admin.product("P1", "Кофе"), p2 = try await admin.product("P2", "Чай")
        let sale = try await admin.sale("S1", date: "2026-01-05", partner: a, lines: [(p1, 1, 100, nil, nil), (p2, 2, 50, nil, nil)]).decode(SaleDTO.self)
        let c1 = try await claim(admin, ["partnerId": a.uuidString, "date": "2026-01-10", "causeId": defect, "departmentId": warehouse, "amount": 10_000,
                                         "description": "Битая упаковка", "basis": JSONObject(["type": "sale", "id": sale.id.uuidString])])
        let c2 = try await claim(admin, ["partnerId": a.uuidString, "date": "2026-01-20", "causeId": defect, "amount": 5_000, "description": "Брак партии"])
        let c3 = try await claim(admin, ["partnerId": b.uuidString, "date": "2026-02-03", "causeId": defect, "amount": 2_500, "description": "Не тот сорт"])
        let c4 = try await claim(admin, ["partnerId": b.uuidString, "date": "2026-02-15", "causeId": late, "amount": 1_000, "description": "Опоздали на неделю"])
        let c5 = try await claim(admin, ["partnerId": a.uuidString, "date": "2026-03-01", "causeId": late, "description": "Опоздали"])
        for (claim, closing) in [(c1, ["status": "satisfied", "closedOn": "2026-01-14", "settledAmount": 8_000, "result": "Заменили"] as [String: any Encodable & Sendable]),
                                 (c2, ["status": "satisfied", "closedOn": "2026-01-30", "settledAmount": 5_000]),
                                 (c3, ["status": "notSatisfied", "closedOn": "2026-02-10", "result": "Сорт по договору"])] {
            #expect(try await move(admin, claim.id.uuidString, ["status": "inProcess"]).status == .ok)
            let closed = try await move(admin, claim.id.uuidString, closing)
            #expect(closed.status == .ok, "\(closed.text)")
        }
        #expect(try await move(admin, c5.id.uuidString, ["status": "inProcess"]).status == .ok)
        return Claims(admin: admin, a: a, b: b, defect: defect, late: late, warehouse: warehouse, p1: p1, p2: p2,
                      ids: [c1, c2, c3, c4, c5].map(\.id.uuidString))
    }

    static func report(_ api: API, _ query: String) async throws -> ClaimsReport {
        let reply = try await api.get("/api/v1/reports/claims?\(query)")
        #expect(reply.status == .ok, "\(reply.text)")
        return try reply.decode(ClaimsReport.self)
    }

    @Test(arguments: TestDB.all)
    func theReportAddsUpTheWorkedExample(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.worked(app)
            let byCause = try await Self.report(w.admin, "groupBy=cause")
            #expect(byCause.groups.map(\.name) == ["Брак", "Срыв сроков"])
            let defect = byCause.groups[0], late = byCause.groups[1]
            #expect(defect.count == 3 && defect.open == 0)
            #expect(defect.amount == 17_500 && defect.settledAmount == 13_000)
            #expect(defect.satisfiedShare == dec("66.67"), "2 satisfied of 3 closed")
            #expect(defect.meanDaysToClose == 7, "(4 + 10 + 7) / 3")
            #expect(late.count == 2 && late.open == 2 && late.amount == 1_000)
            #expect(late.satisfiedShare == nil && late.meanDaysToClose == nil)
            #expect(byCause.total.count == 5 && byCause.total.amount == 18_500 && byCause.total.open == 2)

            let byMonth = try await Self.report(w.admin, "groupBy=month")
            #expect(byMonth.groups.map(\.key) == ["2026-01", "2026-02", "2026-03"])
            #expect(byMonth.groups[0].satisfiedShare == 100 && byMonth.groups[0].meanDaysToClose == 7, "(4 + 10) / 2")
            #expect(byMonth.groups[1].satisfiedShare == 0 && byMonth.groups[1].open == 1)

            // C1 rests on a sale of two products: it counts under each, and once in the total.
            let byProduct = try await Self.report(w.admin, "groupBy=product")
            let coffee = byProduct.groups.first { $0.key == w.p1.uuidString }
            #expect(coffee?.count == 1 && coffee?.amount == 10_000 && coffee?.settledAmount == 8_000 && coffee?.meanDaysToClose == 4)
            #expect(byProduct.groups.first { $0.key == w.p2.uuidString }?.count == 1)
            #expect(byProduct.groups.first { $0.key == nil }?.count == 4)
            #expect(byProduct.total.count == 5)

            let byGuilty = try await Self.report(w.admin, "groupBy=guilty")
            #expect(byGuilty.groups.first { $0.key == w.warehouse.uppercased() }?.name == "Склад")
            let spring = try await Self.report(w.admin, "groupBy=partner&from=2026-02-01")
            #expect(spring.total.count == 3 && spring.groups.map(\.name).sorted() == ["Альфа", "Бета"])
            #expect(try await w.admin.get("/api/v1/reports/claims?groupBy=weekday").status == .unprocessableEntity)

            // The segment comparison and the dossier count them too.
            let segment = try await w.admin.post("/api/v1/segments", ["name": "Оба", "kind": "manual"]).json()["id"] as! String
            _ = try await w.admin.send(.POST, "/api/v1/segments/\(segment)/members", json: JSONObject(["partnerIds": [w.a.uuidString, w.b.uuidString]]))
            let compared = try await w.admin.get("/api/v1/reports/segments-compare?segmentIds=\(segment)").decode(SegmentComparisonReport.self)
            #expect(compared.segments.first?.claims == 5 && compared.segments.first?.claimsSatisfiedShare == dec("66.67"))
            let dossier = try await w.admin.get("/api/v1/reports/partners/\(w.b)/dossier").json()["claims"] as? [String: Any]
            #expect(dossier?["count"] as? Int == 2 && dossier?["open"] as? Int == 1, "\(String(describing: dossier))")

            // The card's history names the basis by its document, not its id.
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let card = try await browser.get("/claims/\(w.ids[0])")
            #expect(card.html.contains("Реализация № S1") && card.html.contains("Склад"), "\(card.html)")

            let csv = try await w.admin.send(.GET, "/api/v1/reports/claims?groupBy=cause", headers: ["Accept": "text/csv"])
            #expect(csv.text.contains("Брак;3;17500;13000;66.67;7;0") || csv.text.contains("Брак,3,17500,13000,66.67,7,0"), "\(csv.text)")
        }
    }

    @Test(arguments: TestDB.all)
    func aClaimMovesByItsStatusesAndItsResponsibleGetsATask(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Гамма")
            let created = try await Self.claim(admin, ["partnerId": partner.uuidString, "date": "2026-04-01", "description": "Недовложение"])
            #expect(created.number == "000001" && created.status == .registered)
            let id = created.id.uuidString
            // The responsible (the author by default) has a planned contact about it.
            let tasks = try await admin.get("/api/v1/interactions?subjectType=claim&subjectId=\(id)").json()
            #expect(tasks["total"] as? Int == 1, "\(tasks)")
            #expect(((tasks["items"] as? [[String: Any]])?.first?["type"] as? String) == "planned")

            let early = try await Self.move(admin, id, ["status": "satisfied"])
            #expect(early.status == .unprocessableEntity && early.text.contains("inProcess"), "\(early.text)")
            #expect(try await Self.move(admin, id, ["status": "inProcess"]).status == .ok)
            let backwards = try await Self.move(admin, id, ["status": "satisfied", "closedOn": "2026-03-01"])
            #expect(backwards.status == .unprocessableEntity && backwards.text.contains("closedOn"), "\(backwards.text)")
            let stale = try await Self.move(admin, id, ["status": "satisfied", "version": 1])
            #expect(stale.status == .conflict)
            let closed = try await Self.move(admin, id, ["status": "notSatisfied", "closedOn": "2026-04-08", "result": "Отказ"]).decode(ClaimDTO.self)
            #expect(closed.closedOn == "2026-04-08" && closed.result == "Отказ")
            let reopened = try await Self.move(admin, id, ["status": "inProcess"]).decode(ClaimDTO.self)
            #expect(reopened.status == .inProcess && reopened.closedOn == nil && reopened.result == "Отказ")

            let other = try await admin.partner("Дельта")
            #expect(try await admin.patch("/api/v1/claims/\(id)", ["partnerId": other.uuidString]).status == .unprocessableEntity)
            let foreignPerson = try await admin.post("/api/v1/contact-persons", ["partnerId": other.uuidString, "name": "Чужой"]).json()["id"] as! String
            let wrong = try await admin.patch("/api/v1/claims/\(id)", ["contactPersonId": foreignPerson])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("contactPersonId"))
            let twin = try await admin.send(.POST, "/api/v1/claims", json: JSONObject(["partnerId": partner.uuidString, "number": "000001", "description": "x"]))
            #expect(twin.status == .unprocessableEntity && twin.text.contains("number"))
            let history = try await admin.get("/api/v1/audit?objectType=claim&objectId=\(id)").json()
            #expect(history["total"] as? Int == 4, "created, taken up, closed, reopened: \(history)")
            #expect(try await admin.delete("/api/v1/claims/\(id)").status == .ok)
            #expect(try await admin.get("/api/v1/claims").json()["total"] as? Int == 0)
        }
    }

    @Test(arguments: TestDB.all)
    func aOneGroupManagerSeesOnlyTheClaimsOfTheirPartners(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let north = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let w = try await Self.worked(app, groups: (north, south))
            let (manager, _) = try await w.admin.createUser("north-manager", role: "manager", groups: [north])
            #expect(try await manager.get("/api/v1/claims").json()["total"] as? Int == 3)
            let hidden = w.ids[2]
            #expect(try await manager.get("/api/v1/claims/\(hidden)").status == .notFound)
            #expect(try await manager.patch("/api/v1/claims/\(hidden)", ["description": "x"]).status == .notFound)
            #expect(try await Self.move(manager, hidden, ["status": "inProcess"]).status == .notFound)
            #expect(try await manager.delete("/api/v1/claims/\(hidden)").status == .notFound)
            #expect(try await manager.post("/api/v1/claims/\(hidden)/restore").status == .notFound)
            let report = try await Self.report(manager, "groupBy=partner")
            #expect(report.total.count == 3 && report.groups.map(\.name) == ["Альфа"])
            let foreign = try await manager.send(.POST, "/api/v1/claims", json: JSONObject(["partnerId": w.b.uuidString, "description": "x"]))
            #expect(foreign.status == .unprocessableEntity && foreign.text.contains("partnerId"))
            // A viewer reads and changes nothing.
            let (viewer, _) = try await w.admin.createUser("north-viewer", role: "viewer", groups: [north])
            #expect(try await viewer.get("/api/v1/claims").json()["total"] as? Int == 3)
            #expect(try await Self.move(viewer, w.ids[4], ["status": "satisfied"]).status == .forbidden)
        }
    }

    @Test func switchedOffClaimsAnswer404AndKeepTheirData() async throws {
        try await withSdelka(.sqlite) { app in
            let w = try await Self.worked(app)
            var features = try await w.admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["claims"] = false
            #expect(try await w.admin.put("/api/v1/settings/features", features).status == .ok)
            let off = try await w.admin.get("/api/v1/claims")
            #expect(off.status == .notFound && off.text.contains("feature_disabled"))
            #expect(try await w.admin.get("/api/v1/claim-causes").status == .notFound)
            #expect(try await w.admin.get("/api/v1/reports/claims").status == .notFound)
            var (browser, desktop) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(!desktop.html.contains("href=\"/claims\""))
            #expect(try await browser.get("/claims").status == .notFound)
            features["claims"] = true
            _ = try await w.admin.put("/api/v1/settings/features", features)
            #expect(try await w.admin.get("/api/v1/claims").json()["total"] as? Int == 5)
        }
    }

    @Test func theWebCardRegistersAClaimAndMovesItsStatus() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Эпсилон")
            var (browser, desktop) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(desktop.html.contains("href=\"/claims\""))
            let blank = try await browser.get("/claims/new?partnerId=\(partner)")
            #expect(blank.status == .ok && blank.html.contains("Эпсилон"))
            let saved = try await browser.submit("/claims", from: blank, ["partnerId": partner.uuidString, "date": "2026-05-04",
                                                                          "description": "Пересорт", "amount": "1500,50"])
            #expect(saved.status == .seeOther, "\(saved.html)")
            let location = saved.location ?? ""
            let card = try await browser.get(location)
            #expect(card.html.contains("Пересорт") && card.html.contains("Зарегистрирована"))
            let taken = try await browser.submit(location + "/status", from: card, ["status": "inProcess"])
            #expect(taken.status == .seeOther)
            let after = try await browser.get(location)
            #expect(after.html.contains("В работе") && after.html.contains("Удовлетворить"))
            let list = try await browser.get("/claims?state=open")
            #expect(list.html.contains("Эпсилон"))
            let report = try await browser.get("/reports/claims?groupBy=month")
            #expect(report.status == .ok && report.html.contains("<svg"))
            #expect(try await admin.get("/api/v1/claims").json()["items"].map { "\($0)" }?.contains("1500.5") == true)
        }
    }

    /// A marked claim goes with purge once nothing refers to it: its task (an interaction about
    /// it) keeps it, and it keeps its cause.
    @Test(arguments: TestDB.all)
    func purgeKeepsAClaimWhileItsTaskRefersToIt(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Зета")
            let cause = try await admin.post("/api/v1/claim-causes", ["name": "Брак"]).json()["id"] as! String
            let claim = try await Self.claim(admin, ["partnerId": partner.uuidString, "causeId": cause, "description": "Скол"])
            let task = try await admin.get("/api/v1/interactions?subjectType=claim&subjectId=\(claim.id)").json()
            let taskID = try #require((task["items"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await admin.delete("/api/v1/claims/\(claim.id)")
            _ = try await admin.delete("/api/v1/claim-causes/\(cause)")
            let first = try await admin.post("/api/v1/purge").json()
            let kept = (first["kept"] as? [[String: Any]] ?? []).reduce(into: [String: [String]]()) {
                $0[$1["id"] as? String ?? ""] = $1["referencedBy"] as? [String]
            }
            #expect(kept[claim.id.uuidString] == ["interaction"], "\(first)")
            #expect(kept[cause] == ["claim"], "\(first)")
            _ = try await admin.delete("/api/v1/interactions/\(taskID)")
            let second = try await admin.post("/api/v1/purge").json()
            let purged = Set((second["purged"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            #expect(purged.contains(taskID) && purged.contains(claim.id.uuidString), "\(second)")
            #expect(try await admin.get("/api/v1/claims/\(claim.id)").status == .notFound)
        }
    }
}
