import Fluent
import SdelkaCore
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// ABC/XYZ runs over real sales, their history and the BCG matrix. Windows of three months:
/// the run of 2026-04-15 reads January–March, the run of 2026-05-10 February–April.
/// Revenue by month (thousands of roubles), checked by hand in the comments:
///   P-1 20 15 15 20 · P-2 30 – – – · P-3 5 5 – 5 · P-4 – – 5 50 · P-5 – 6 −1 – · P-6 8 – – – · P-7 nothing.
@Suite struct ClassificationRunTests {
    static let months: [String: [Int]] = [
        "P-1": [20, 15, 15, 20], "P-2": [30, 0, 0, 0], "P-3": [5, 5, 0, 5],
        "P-4": [0, 0, 5, 50], "P-5": [0, 6, -1, 0], "P-6": [8, 0, 0, 0],
    ]

    /// Partners P-1…P-7 (P-1 and P-4 in the access group `group`), one counterparty each, and
    /// one sales document (or return) per partner and month with sales, dated the 10th.
    static func load(_ admin: API, group: String) async throws {
        for n in 1...7 {
            var body: [String: any Encodable & Sendable] = ["code": "P-\(n)", "name": "Клиент \(n)"]
            if n == 1 || n == 4 { body["accessGroupId"] = group }
            #expect(try await admin.post("/api/v1/partners", body).status == .created)
        }
        let parties = "code,partner_code,name,legal_form,inn,kpp,ogrn\n" + (1...7).map { "K-\($0),P-\($0),ООО Клиент \($0),,,,\n" }.joined()
        #expect(try await admin.send(.POST, "/api/v1/import/counterparties", raw: parties, contentType: .csv).status == .ok)
        #expect(try await admin.send(.POST, "/api/v1/import/products", raw: "sku,name,group,unit,price\nA-1,Товар,,шт,\n", contentType: .csv).status == .ok)
        var csv = "doc_number,date,partner_code,counterparty_code,product_sku,quantity,price,amount,cost\n"
        for (partner, values) in Self.months.sorted(by: { $0.key < $1.key }) {
            for (month, thousands) in values.enumerated() where thousands != 0 {
                let amount = thousands * 1000
                csv += "\(partner)/\(month + 1),2026-0\(month + 1)-10,\(partner),,A-1,\(thousands < 0 ? -1 : 1),\(abs(amount)),\(amount),\(amount / 2)\n"
            }
        }
        let reply = try await admin.send(.POST, "/api/v1/import/sales", raw: csv, contentType: .csv)
        #expect(reply.status == .ok, "\(reply.text)")
        let settings = JSONObject(["abc": JSONObject(["unit": "month", "count": 3]),
                                   "xyz": JSONObject(["unit": "month", "count": 3, "subUnit": "month"])])
        #expect(try await admin.put("/api/v1/settings/classification", settings).status == .ok)
    }

    func classes(_ report: ABCXYZReportDTO) -> [String: String] {
        Dictionary(uniqueKeysWithValues: report.items.map {
            ($0.partnerCode ?? "", "\($0.abc?.rawValue ?? "-") \($0.xyz?.rawValue ?? "-")")
        })
    }

    @Test(arguments: TestDB.all)
    func runsKeepAHistoryWithUnclassifiedClients(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            try await Self.load(admin, group: group)

            let first = try await admin.post("/api/v1/classification/run", ["date": "2026-04-15"])
            #expect(first.status == .created, "\(first.text)")
            let run = try first.decode(ClassificationRunDTO.self)
            #expect(run.date.description == "2026-03-31" && run.abcWindow.start.description == "2026-01-01")
            #expect(run.subPeriods == 3 && run.partners == 6 && run.measures == [.revenue, .grossProfit, .salesCount])

            // ABC: 50, 30, 10, 8, 5, 5 of 108 → c = 46.30, 74.07, 83.33, 90.74, 95.37, 100;
            // t = 489.81/7 = 69.97: P-1 A; P-2 exceeds → B, t = 443.52/5 = 88.70; P-3 B; P-6
            // exceeds while B → stop. XYZ: CV P-5 185.47; P-2, P-4, P-6 141.42 (tied, by code);
            // P-3 70.71; P-1 14.14 → c = 26.70, 47.06, 67.43, 87.79, 97.96, 100; t = 426.94/7 =
            // 60.99: P-5 Z, P-2 Z; P-4 exceeds → Y, t = 353.18/4 = 88.30; P-6 Y; P-3 stops → X.
            let april = try await admin.get("/api/v1/reports/abc-xyz?date=2026-04-15&measure=revenue").decode(ABCXYZReportDTO.self)
            #expect(april.date.description == "2026-03-31" && april.windowStart.description == "2026-01-01")
            #expect(classes(april) == ["P-1": "A X", "P-2": "B Z", "P-3": "B X", "P-4": "C Y", "P-5": "C Z", "P-6": "C Y"])
            #expect(april.items.map { $0.partnerCode ?? "" } == ["P-1", "P-2", "P-3", "P-6", "P-4", "P-5"], "biggest first, ties by code")
            #expect(april.items.first?.abcValue == 50_000 && april.items.first?.xyzValue == dec("14.14"))
            #expect(april.items.last?.xyzValue == dec("185.47"), "a return in March lowers P-5's total to 5 and its March to −1")
            let profit = try await admin.get("/api/v1/reports/abc-xyz?date=2026-04-15&measure=grossProfit").decode(ABCXYZReportDTO.self)
            #expect(profit.items.first?.abcValue == 25_000 && classes(profit) == classes(april), "cost is half of every amount")
            let count = try await admin.get("/api/v1/reports/abc-xyz?date=2026-04-15&measure=salesCount").decode(ABCXYZReportDTO.self)
            #expect(count.items.first { $0.partnerCode == "P-5" }?.abcValue == 1, "a return is not a sales document")

            // February–April: P-2 and P-6 bought nothing and are recorded `unclassified`; P-7,
            // never classified, has no record. ABC 55, 50, 10, 5: P-4 A, P-1 B, P-3 stops → C.
            let second = try await admin.post("/api/v1/classification/run", ["date": "2026-05-10"]).decode(ClassificationRunDTO.self)
            #expect(second.date.description == "2026-04-30" && second.partners == 4)
            let may = try await admin.get("/api/v1/reports/abc-xyz").decode(ABCXYZReportDTO.self)
            #expect(may.date.description == "2026-04-30", "without a date, the latest run")
            #expect(classes(may) == ["P-4": "A Y", "P-1": "B X", "P-3": "C X", "P-5": "C Z",
                                     "P-2": "unclassified unclassified", "P-6": "unclassified unclassified"])
            #expect(may.items.suffix(2).allSatisfy { $0.abcValue == nil && $0.xyzValue == nil })

            // Relationship stages from the latest XYZ by revenue: X regular, Z one-off,
            // unclassified lost, never classified potential.
            func stage(_ code: String) async throws -> PartnerClassificationDTO {
                let id = try await admin.get("/api/v1/partners?q=\(code)").decode(PageDTO<PartnerDTO>.self).items.first { $0.code == code }!.id
                return try await admin.get("/api/v1/partners/\(id)/classification").decode(PartnerClassificationDTO.self)
            }
            let biggest = try await stage("P-1")
            #expect(biggest.relationshipStage == .regular && biggest.history.count == 6)
            let latest = biggest.history[0]
            #expect("\(latest.date) \(latest.measure) \(latest.abc?.rawValue ?? "") \(latest.xyz?.rawValue ?? "")" == "2026-04-30 revenue B X")
            let oneOff = try await stage("P-5"), lost = try await stage("P-2"), potential = try await stage("P-7")
            #expect(oneOff.relationshipStage == .oneOff && lost.relationshipStage == .lost && potential.relationshipStage == .potential)

            // One page at a time, and one class: `total` counts what the filter keeps.
            let paged = try await admin.get("/api/v1/reports/abc-xyz?per=2&page=2").decode(ABCXYZReportDTO.self)
            #expect(paged.total == 6 && paged.items.map { $0.partnerCode ?? "" } == ["P-3", "P-5"])
            let onlyC = try await admin.get("/api/v1/reports/abc-xyz?abc=C&page=1").decode(ABCXYZReportDTO.self)
            #expect(onlyC.total == 2 && onlyC.items.map { $0.partnerCode ?? "" } == ["P-3", "P-5"])
            #expect(try await admin.get("/api/v1/reports/abc-xyz?abc=D").status == .unprocessableEntity)

            // Running a date again replaces its run: still two in the history.
            #expect(try await admin.post("/api/v1/classification/run", ["date": "2026-04-20"]).status == .created)
            let runs = try await admin.get("/api/v1/classification/runs").decode([ClassificationRunDTO].self)
            #expect(runs.map(\.date.description) == ["2026-04-30", "2026-03-31"])
            #expect(runs.last?.classificationDate.description == "2026-04-20")

            let csv = try await admin.send(.GET, "/api/v1/reports/abc-xyz?date=2026-04-30", headers: ["Accept": "text/csv"])
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.text.components(separatedBy: "\r\n").prefix(2) == ["partner_code,partner_name,abc,abc_value,xyz,xyz_value",
                                                                  "P-4,Клиент 4,A,55000,Y,122.64"])

            // A manager of the group sees its two clients only; a viewer cannot run.
            let (manager, _) = try await admin.createUser("north", role: "manager", groups: [group])
            let seen = try await manager.get("/api/v1/reports/abc-xyz").decode(ABCXYZReportDTO.self)
            #expect(seen.items.map { $0.partnerCode ?? "" } == ["P-4", "P-1"])
            #expect(try await manager.post("/api/v1/classification/run", ["date": "2026-05-10"]).status == .forbidden)
            let audit = try await admin.get("/api/v1/audit?objectType=classificationRun").text
            #expect(audit.contains("2026-04-30"), "every run is in the audit log")

            var features = try await admin.get("/api/v1/settings/features").decode(FeatureSwitches.self)
            features.abcxyzSalesCount = false
            #expect(try await admin.put("/api/v1/settings/features", features).status == .ok)
            let off = try await admin.get("/api/v1/reports/abc-xyz?measure=salesCount")
            #expect(off.status == .notFound && off.text.contains("feature_disabled"))
            let unknown = try await admin.get("/api/v1/reports/abc-xyz?measure=units")
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("measure"))
        }
    }

    /// Windows of other units, sub-periods of every kind, and an ABC window unlike the XYZ one.
    /// P-1 sells 20, 15, 15, 20 on the 10th of January–April: Σx = 70, Σx² = 1250, so
    /// CV = 100·√(k·1250 − 4900)/70 for k sub-periods.
    @Test(arguments: TestDB.all)
    func subPeriodsOfEveryUnitAndWindowsThatDiffer(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            try await Self.load(admin, group: group)
            func classify(_ date: String, abc: (String, Int), xyz: (String, Int, String)) async throws -> ABCXYZReportDTO {
                let settings = JSONObject(["abc": JSONObject(["unit": abc.0, "count": abc.1]),
                                           "xyz": JSONObject(["unit": xyz.0, "count": xyz.1, "subUnit": xyz.2])])
                let put = try await admin.put("/api/v1/settings/classification", settings)
                #expect(put.status == .ok, "\(put.text)")
                #expect(try await admin.post("/api/v1/classification/run", ["date": date]).status == .created)
                return try await admin.get("/api/v1/reports/abc-xyz?date=\(date)").decode(ABCXYZReportDTO.self)
            }
            func cv(_ report: ABCXYZReportDTO) -> Decimal? { report.items.first { $0.partnerCode == "P-1" }?.xyzValue }
            // The first half of 2026: months k = 6, decades k = 18, days k = 181.
            #expect(cv(try await classify("2026-07-15", abc: ("halfYear", 1), xyz: ("halfYear", 1, "month"))) == dec("72.84"))
            #expect(cv(try await classify("2026-07-16", abc: ("halfYear", 1), xyz: ("halfYear", 1, "decade"))) == dec("189.52"))
            #expect(cv(try await classify("2026-07-17", abc: ("halfYear", 1), xyz: ("halfYear", 1, "day"))) == dec("672.11"))
            // 26 weeks from Monday 2025-11-17 to Sunday 2026-05-17: the four sales fall in four weeks.
            let weeks = try await classify("2026-05-20", abc: ("week", 26), xyz: ("week", 26, "week"))
            #expect(weeks.xyzWindowStart.description == "2025-11-17" && cv(weeks) == dec("237.33"))
            // ABC over April–June only (P-4 50, P-1 20, P-3 5 → B C C: 66.67 exceeds t = 65 at
            // once, then 93.33 exceeds 86.67), XYZ over the half-year: the others have no ABC.
            // XYZ, k = 6: CV P-5 280.71, P-2 223.61, P-6 223.61, P-4 200.21, P-3 100, P-1 72.84 →
            // c = 25.50, 45.81, 66.12, 84.30, 93.38, 100; t = 415.11/7 = 59.30: P-5, P-2 Z; P-6
            // exceeds → Y, t = 343.80/4 = 85.95; P-4 Y; P-3 exceeds while Y → stop: P-3, P-1 X.
            let apart = try await classify("2026-07-18", abc: ("quarter", 1), xyz: ("halfYear", 1, "month"))
            #expect(apart.windowStart.description == "2026-04-01" && apart.xyzWindowStart.description == "2026-01-01")
            #expect(classes(apart) == ["P-4": "B Y", "P-1": "C X", "P-3": "C X", "P-2": "- Z", "P-5": "- Z", "P-6": "- Y"])
        }
    }

    /// Results are derived data without foreign keys: purging a client takes its history along.
    @Test(arguments: TestDB.all)
    func purgingAClientDeletesItsHistory(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            try await Self.load(admin, group: group)
            #expect(try await admin.post("/api/v1/classification/run", ["date": "2026-04-15"]).status == .created)
            let p6 = try await admin.get("/api/v1/partners?q=P-6").decode(PageDTO<PartnerDTO>.self).items[0].id
            let sale = try await admin.get("/api/v1/sales?partnerId=\(p6)").decode(PageDTO<SaleDTO>.self).items[0].id
            #expect(try await admin.delete("/api/v1/sales/\(sale)").status == .ok)
            let party = try await admin.get("/api/v1/counterparties?partnerId=\(p6)").decode(PageDTO<CounterpartyDTO>.self).items[0].id
            #expect(try await admin.delete("/api/v1/counterparties/\(party)").status == .ok)
            #expect(try await admin.delete("/api/v1/partners/\(p6)").status == .ok)
            struct Count: Decodable { var n: Int }
            func history() async throws -> Int {
                try await app.db.sql.raw("SELECT COUNT(*) AS n FROM classification_results WHERE partner_id = \(bind: p6)").first(decoding: Count.self)!.n
            }
            #expect(try await history() == 1)
            let purge = try await admin.post("/api/v1/purge")
            let purged = try purge.decode(Purge.Report.self).purged
            #expect(purge.status == .ok && purged.contains { $0.id == p6 }, "\(purge.text)")
            #expect(try await history() == 0)
            let report = try await admin.get("/api/v1/reports/abc-xyz").decode(ABCXYZReportDTO.self)
            #expect(report.items.count == 5 && !report.items.contains { $0.partnerCode == "P-6" })
        }
    }

    @Test(arguments: TestDB.all)
    func bcgMatrixOfTwoRuns(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            try await Self.load(admin, group: group)
            #expect(try await admin.post("/api/v1/classification/run", ["date": "2026-04-15"]).status == .created)
            let lone = try await admin.get("/api/v1/reports/bcg?measure=revenue").decode(BCGReport.self)
            #expect(lone.previous == nil && lone.transitions.isEmpty)
            #expect(lone.quadrants == ["cashCows": 1, "stars": 0, "dogs": 0, "questionMarks": 5])
            #expect(try await admin.post("/api/v1/classification/run", ["date": "2026-05-10"]).status == .created)

            let bcg = try await admin.get("/api/v1/reports/bcg?measure=revenue&date=2026-05-31").decode(BCGReport.self)
            #expect(bcg.current.date.description == "2026-04-30" && bcg.previous?.date.description == "2026-03-31")
            #expect(bcg.current.cells.count == 25 && bcg.current.cells.filter { $0.value > 0 }
                    == ["AY": 1, "BX": 1, "CX": 1, "CZ": 1, "unclassified/unclassified": 2])
            #expect(bcg.previous?.cells.filter { $0.value > 0 } == ["AX": 1, "BZ": 1, "BX": 1, "CY": 2, "CZ": 1])
            #expect(bcg.quadrants == ["cashCows": 0, "stars": 0, "dogs": 1, "questionMarks": 5])
            let moves = Set(bcg.transitions.map { "\($0.from)>\($0.to)=\($0.count)" })
            #expect(moves == ["AX>BX=1", "BZ>unclassified/unclassified=1", "BX>CX=1", "CY>AY=1", "CZ>CZ=1",
                              "CY>unclassified/unclassified=1"])

            let (manager, _) = try await admin.createUser("north", role: "manager", groups: [group])
            let theirs = try await manager.get("/api/v1/reports/bcg").decode(BCGReport.self)
            #expect(theirs.current.cells.filter { $0.value > 0 } == ["AY": 1, "BX": 1])
            #expect(Set(theirs.transitions.map { "\($0.from)>\($0.to)" }) == ["AX>BX", "CY>AY"])
        }
    }

    @Test(arguments: TestDB.all)
    func theScheduleRunsOncePerPeriod(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            try await Self.load(admin, group: group)
            let zone = app.sdelka.timeZone
            let may10 = CalendarDate("2026-05-10")!.start(in: zone).addingTimeInterval(3600)
            #expect(try await ClassificationSchedule.tick(app.db, zone: zone, now: may10) == nil, "off until configured")

            var settings = try await admin.get("/api/v1/settings/classification").decode(ClassificationSettings.self)
            settings.schedule = .month
            #expect(try await admin.put("/api/v1/settings/classification", settings).status == .ok)
            let run = try await ClassificationSchedule.tick(app.db, zone: zone, now: may10)
            #expect(run?.date.description == "2026-04-30" && run?.createdBy == nil)
            #expect(try await ClassificationSchedule.tick(app.db, zone: zone, now: may10.addingTimeInterval(60)) == nil, "once a month")
            let june = CalendarDate("2026-06-01")!.start(in: zone).addingTimeInterval(60)
            #expect(try await ClassificationSchedule.tick(app.db, zone: zone, now: june)?.date.description == "2026-05-31")
            let bad = try await admin.put("/api/v1/settings/classification", JSONObject([
                "abc": JSONObject(["unit": "month", "count": 3]), "xyz": JSONObject(["unit": "month", "count": 3, "subUnit": "month"]),
                "schedule": "fortnight"]))
            #expect(bad.status == .unprocessableEntity && bad.text.contains("schedule"))
        }
    }
}
