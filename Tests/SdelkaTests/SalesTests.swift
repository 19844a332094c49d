import Fluent
import Testing
import Vapor
@testable import Sdelka

@Suite struct SalesTests {
    @Test(arguments: TestDB.all)
    func aDocumentSumsItsLinesAndAReturnReducesItsMonth(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            let a = try await admin.product("A-1", "Краска белая", price: dec("100.10"))
            let b = try await admin.product("B-2", "Кисть")
            // 2.5 × 100.10 = 250.25; 99.99 for 3 pieces is 33.33 each; revenue 350.24, cost 180 + 60.50 = 240.50.
            let created = try await admin.sale("Р-1", date: "2026-03-10", partner: partner, lines: [
                (a, dec("2.5"), dec("100.10"), nil, dec("180")), (b, 3, nil, dec("99.99"), dec("60.5"))])
            #expect(created.status == .created, "\(created.text)")
            let sale = try created.decode(SaleDTO.self)
            #expect(sale.revenue == dec("350.24") && sale.cost == dec("240.5") && sale.grossProfit == dec("109.74"))
            #expect(sale.lines.map(\.amount) == [dec("250.25"), dec("99.99")])
            #expect(sale.lines.map(\.price) == [dec("100.1"), dec("33.33")])
            #expect(!sale.isReturn && sale.version == 1)
            #expect(created.text.contains("\"grossProfit\":109.74"), "money is a JSON number")

            // A return of one A: −100.10 revenue, −72 cost, in the same month.
            let back = try await admin.sale("В-1", date: "2026-03-20", partner: partner, lines: [(a, -1, dec("100.10"), nil, -72)])
            #expect(back.status == .created, "\(back.text)")
            let refund = try back.decode(SaleDTO.self)
            #expect(refund.isReturn && refund.revenue == dec("-100.1") && refund.grossProfit == dec("-28.1"))

            // 0.125 × 0.20 = 0.025 is rounded half away from zero to 0.03.
            let april = try await admin.sale(nil, date: "2026-04-02", partner: partner, lines: [(b, dec("0.125"), dec("0.2"), nil, nil)])
            let small = try april.decode(SaleDTO.self)
            #expect(small.revenue == dec("0.03") && small.cost == 0 && small.number == "1", "numbered from the sequence")

            #expect(try await admin.monthly(partner) == [
                SalesMonthDTO(month: "2026-04", revenue: dec("0.03"), cost: 0, grossProfit: dec("0.03"), salesCount: 1, returnsCount: 0),
                SalesMonthDTO(month: "2026-03", revenue: dec("250.14"), cost: dec("168.5"), grossProfit: dec("81.64"), salesCount: 1, returnsCount: 1),
            ])
            let list = try await admin.get("/api/v1/sales?partnerId=\(partner)&from=2026-03-01&to=2026-03-31").decode(PageDTO<SaleDTO>.self)
            #expect(list.items.map(\.number) == ["В-1", "Р-1"])
            #expect(try await admin.get("/api/v1/sales?kind=return").decode(PageDTO<SaleDTO>.self).items.map(\.number) == ["В-1"])
            #expect(try await admin.get("/api/v1/sales?q=Р-").decode(PageDTO<SaleDTO>.self).total == 1)
        }
    }

    @Test(arguments: TestDB.all)
    func badDocumentsAreRefusedWithTheFieldAndTheRule(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            let other = try await admin.partner("Лютик")
            let a = try await admin.product("A-1", "Краска")
            let otherCounterparty = try await admin.post("/api/v1/counterparties", ["partnerId": other.uuidString, "name": "ООО Лютик"]).json()["id"] as! String
            let empty = try await admin.send(.POST, "/api/v1/sales", json: JSONObject(["number": "X"]))
            #expect(empty.errorFields == ["date": "is required", "partnerId": "is required", "lines": "is required: a document has at least one line"])
            let bad = try await admin.sale("X", date: "2026-02-30", partner: partner, lines: [
                (a, 0, 1, nil, nil), (a, 1, dec("1.005"), nil, nil), (a, 2, nil, nil, nil), (a, 1, 5, -5, nil), (UUID(), 1, 5, nil, nil)],
                ["counterpartyId": otherCounterparty])
            #expect(bad.errorFields == [
                "date": "must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30", "lines.0.quantity": "must not be zero", "lines.1.price": "must have at most 2 decimals and be less than a trillion",
                "lines.2.price": "give the price or the amount",
                "lines.3.amount": "must have the sign of the quantity (negative on a return)",
                "lines.4.productId": "names a product that does not exist", "counterpartyId": "belongs to another partner"])
            let mixed = try await admin.sale("Y", date: "2026-02-03", partner: partner, lines: [(a, 1, 5, nil, nil), (a, -1, 5, nil, nil)])
            #expect(mixed.errorFields["lines"]?.hasPrefix("mix sales and returns") == true)
            _ = try await admin.sale("Z", date: "2026-02-03", partner: partner, lines: [(a, 1, 5, nil, nil)])
            let twice = try await admin.sale("Z", date: "2026-02-04", partner: partner, lines: [(a, 1, 5, nil, nil)])
            #expect(twice.errorFields == ["number": "is already the number of another document"])
            #expect(try await admin.get("/api/v1/sales").decode(PageDTO<SaleDTO>.self).total == 1, "nothing else was stored")
        }
    }

    @Test(arguments: TestDB.all)
    func keptTotalsEqualARecomputationAfterEditsReturnsAndDeletions(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let first = try await admin.partner("Ромашка"), second = try await admin.partner("Лютик")
            let a = try await admin.product("A-1", "Краска", price: 10)
            var ids: [UUID] = []
            let documents: [(UUID, String, Decimal)] = [(first, "2026-01-05", 3), (first, "2026-01-05", 2), (second, "2026-01-05", 1),
                                                        (first, "2026-02-10", -1), (second, "2026-03-01", 7)]
            for (index, document) in documents.enumerated() {
                let (partner, date, quantity) = document
                let reply = try await admin.sale("D\(index)", date: date, partner: partner, lines: [(a, quantity, nil, nil, quantity)])
                ids.append(try reply.decode(SaleDTO.self).id)
            }
            // Move a document to another partner and day, change another's lines, mark one, restore it, mark another.
            #expect(try await admin.send(.PATCH, "/api/v1/sales/\(ids[1])", json: JSONObject(["version": 1, "partnerId": second.uuidString, "date": "2026-01-06"])).status == .ok)
            #expect(try await admin.send(.PATCH, "/api/v1/sales/\(ids[4])", json: JSONObject(["lines": [JSONObject(["productId": a.uuidString, "quantity": 4])]])).status == .ok)
            #expect(try await admin.delete("/api/v1/sales/\(ids[2])").status == .ok)
            #expect(try await admin.post("/api/v1/sales/\(ids[2])/restore").status == .ok)
            #expect(try await admin.delete("/api/v1/sales/\(ids[0])").status == .ok)

            let kept = try await SalesTotals.all(on: app.db)
            try await SalesTotals.rebuild(on: app.db)
            #expect(try await SalesTotals.all(on: app.db) == kept)
            // By hand: first has only the return (−10, −1); second has 20 on 01-06, 10 on 01-05 and 40 on 03-01.
            #expect(try await admin.monthly(first).map { [$0.month, "\($0.revenue)", "\($0.salesCount)", "\($0.returnsCount)"] } == [["2026-02", "-10", "0", "1"]])
            #expect(try await admin.monthly(second).map { [$0.month, "\($0.revenue)", "\($0.cost)"] } == [["2026-03", "40", "0"], ["2026-01", "30", "3"]])
            #expect(kept.count == 4, "the day whose only document was marked has no row: \(kept)")
        }
    }

    @Test(arguments: TestDB.all)
    func aSaleLinkedToAnOpenDealWinsItUnlessTheSettingIsOff(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            let a = try await admin.product("A-1", "Краска", price: 10)
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "КП"])
            let deal = try await admin.deal("Поставка", partner: partner, kind: kind)
            let refund = try await admin.sale("R", date: "2026-03-01", partner: partner, lines: [(a, -1, nil, nil, nil)], ["dealId": deal.id.uuidString])
            #expect(refund.status == .created)
            #expect(try await admin.get("/api/v1/deals/\(deal.id)").decode(DealDTO.self).status == .open, "a return wins nothing")
            let sold = try await admin.sale("S", date: "2026-03-02", partner: partner, lines: [(a, 5, nil, nil, nil)], ["dealId": deal.id.uuidString])
            #expect(sold.status == .created, "\(sold.text)")
            let won = try await admin.get("/api/v1/deals/\(deal.id)").decode(DealDTO.self)
            #expect(won.status == .won)
            #expect(won.probability == Decimal(100))
            let rows = try await admin.stageRows(won)
            #expect(rows.map(\.result.rawValue) == ["won"], "the stage row is closed by the deal rules")

            let other = try await admin.deal("Вторая", partner: partner, kind: kind)
            #expect(try await admin.put("/api/v1/settings/sales", SalesSettings(autoWinDeals: false)).status == .ok)
            _ = try await admin.sale("S2", date: "2026-03-03", partner: partner, lines: [(a, 1, nil, nil, nil)], ["dealId": other.id.uuidString])
            #expect(try await admin.get("/api/v1/deals/\(other.id)").decode(DealDTO.self).status == .open)

            let stranger = try await admin.partner("Лютик")
            let foreign = try await admin.sale("S3", date: "2026-03-03", partner: stranger, lines: [(a, 1, nil, nil, nil)], ["dealId": other.id.uuidString])
            #expect(foreign.errorFields == ["dealId": "is a deal of another partner"])
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerNeverSeesTheSalesOfAnotherGroupsPartner(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let own = try await admin.partner("Ромашка", group: retail), hidden = try await admin.partner("Лютик", group: wholesale)
            let a = try await admin.product("A-1", "Краска", price: 10)
            _ = try await admin.sale("S1", date: "2026-03-01", partner: own, lines: [(a, 1, nil, nil, nil)])
            let secret = try await admin.sale("S2", date: "2026-03-01", partner: hidden, lines: [(a, 1, nil, nil, nil)]).decode(SaleDTO.self)
            #expect(try await manager.get("/api/v1/sales").decode(PageDTO<SaleDTO>.self).items.map(\.number) == ["S1"])
            #expect(try await manager.get("/api/v1/sales/\(secret.id)").status == .notFound)
            #expect(try await manager.get("/api/v1/sales/monthly?partnerId=\(hidden)").status == .notFound)
            #expect(try await manager.sale("S3", date: "2026-03-01", partner: hidden, lines: [(a, 1, nil, nil, nil)]).errorFields
                    == ["partnerId": "names a partner that does not exist"])
            #expect(try await manager.send(.PATCH, "/api/v1/sales/\(secret.id)", json: JSONObject(["comment": "x"])).status == .notFound)
        }
    }

    @Test(arguments: TestDB.all)
    func agreementsAndContractsHangOffACounterpartyAndBindDealsAndSales(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка"), other = try await admin.partner("Лютик")
            let counterparty = try await admin.post("/api/v1/counterparties", ["partnerId": partner.uuidString, "name": "ООО Ромашка"]).json()["id"] as! String
            let foreign = try await admin.post("/api/v1/counterparties", ["partnerId": other.uuidString, "name": "ООО Лютик"]).json()["id"] as! String
            let organization = try await admin.post("/api/v1/organizations", ["name": "ООО «Торговый дом»"]).json()["id"] as! String
            let created = try await admin.post("/api/v1/agreements", ["counterpartyId": counterparty, "organizationId": organization, "number": "С-7",
                                                                       "validFrom": "2026-01-01", "validTo": "2026-12-31", "priceType": "Оптовая", "paymentTerms": "30 дней"])
            #expect(created.status == .created, "\(created.text)")
            let agreement = try created.decode(TermsDTO.self)
            #expect(agreement.name == "С-7" && agreement.priceType == "Оптовая")
            let backwards = try await admin.post("/api/v1/contracts", ["counterpartyId": counterparty, "number": "Д-1", "validFrom": "2026-02-01", "validTo": "2026-01-01"])
            #expect(backwards.errorFields == ["validTo": "must not be before validFrom"])
            let contract = try await admin.post("/api/v1/contracts", ["counterpartyId": foreign, "number": "Д-2"]).decode(TermsDTO.self)
            #expect(try await admin.get("/api/v1/agreements?counterpartyId=\(counterparty)").decode(PageDTO<TermsDTO>.self).total == 1)

            let kind = try await admin.dealKind("Разовая", type: "free", stages: [])
            let deal = try await admin.deal("Поставка", partner: partner, kind: kind, ["agreementId": agreement.id.uuidString])
            #expect(deal.agreementId == agreement.id)
            let wrongDeal = try await admin.send(.POST, "/api/v1/deals", json: JSONObject([
                "name": "x", "partnerId": other.uuidString, "kindId": kind.id.uuidString, "agreementId": agreement.id.uuidString]))
            #expect(wrongDeal.errorFields == ["agreementId": "is an agreement with another partner"])

            let a = try await admin.product("A-1", "Краска", price: 10)
            let sale = try await admin.sale("S", date: "2026-03-01", partner: partner, lines: [(a, 1, nil, nil, nil)],
                                            ["counterpartyId": counterparty, "organizationId": organization,
                                             "agreementId": agreement.id.uuidString, "contractId": contract.id.uuidString])
            #expect(sale.errorFields == ["contractId": "belongs to another counterparty"])
        }
    }

    @Test(arguments: TestDB.all)
    func mergeMovesSalesWithTheirTotalsAndPurgeKeepsWhatIsSold(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let survivor = try await admin.partner("Ромашка"), twin = try await admin.partner("Ромашка (дубль)")
            let sold = try await admin.product("A-1", "Краска", price: 10), unsold = try await admin.product("B-2", "Кисть", price: 5)
            _ = try await admin.sale("S1", date: "2026-03-01", partner: survivor, lines: [(sold, 1, nil, nil, nil)])
            _ = try await admin.sale("S2", date: "2026-03-01", partner: twin, lines: [(sold, 2, nil, nil, nil)])
            let marked = try await admin.sale("S3", date: "2026-03-02", partner: twin, lines: [(sold, 3, nil, nil, nil)]).decode(SaleDTO.self)
            #expect(try await admin.delete("/api/v1/sales/\(marked.id)").status == .ok)
            let merged = try await admin.post("/api/v1/partners/\(twin)/merge", ["intoId": survivor.uuidString])
            #expect(merged.status == .ok, "\(merged.text)")
            #expect(try await admin.monthly(survivor).map { "\($0.revenue)/\($0.salesCount)" } == ["30/2"], "10 + 20; the marked sale counts nowhere")
            #expect(try await admin.monthly(twin).isEmpty)

            #expect(try await admin.delete("/api/v1/products/\(sold)").status == .ok)
            #expect(try await admin.delete("/api/v1/products/\(unsold)").status == .ok)
            let report = try await admin.post("/api/v1/purge").json()
            let purged = (report["purged"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            let kept = (report["kept"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(purged.contains("S3") && purged.contains("Кисть"))
            #expect(kept.contains("Краска"), "a product on a sales line is kept")
            #expect(try await admin.get("/api/v1/sales/\(marked.id)").status == .notFound)
        }
    }
}
