import Fluent
import SdelkaCore
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// The products and sales imports and exports in the formats of ARCHITECTURE.md.
@Suite struct SaleImportTests {
    static let header = "doc_number,date,partner_code,counterparty_code,product_sku,quantity,price,amount,cost\n"

    /// Partners P-1 (one counterparty K-1) and P-2 (two: K-2, K-3) and products A-1, B-2.
    func catalogue(_ admin: API) async throws {
        for (code, name) in [("P-1", "Ромашка"), ("P-2", "Лютик")] {
            #expect(try await admin.post("/api/v1/partners", ["code": code, "name": name]).status == .created)
        }
        let parties = "code,partner_code,name,legal_form,inn,kpp,ogrn\nK-1,P-1,ООО Ромашка,,,,\nK-2,P-2,ООО Лютик,,,,\nK-3,P-2,ИП Лютиков,individual,,,\n"
        #expect(try await admin.send(.POST, "/api/v1/import/counterparties", raw: parties, contentType: .csv).status == .ok)
        let products = "sku,name,group,unit,price\nA-1,Краска белая,Краски,л,100.10\nB-2,Кисть,Инструмент,шт,\n"
        let report = try await admin.send(.POST, "/api/v1/import/products", raw: products, contentType: .csv).decode(ImportReport.self)
        #expect(report.created == 2)
    }

    @Test(arguments: TestDB.all)
    func productsImportByTheirSKUAndNameTheirGroups(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await catalogue(admin)
            let groups = try await admin.get("/api/v1/product-groups").decode(PageDTO<CatalogDTO>.self).items.map(\.name)
            #expect(groups == ["Инструмент", "Краски"], "groups named in the file are created")
            let again = "sku,name,group,unit,price\nA-1,Краска белая матовая,Краски,л,\nB-2,Кисть,Инструмент,шт,\nC-3,Валик,Инструмент,шт,abc\n"
            let refused = try await admin.send(.POST, "/api/v1/import/products", raw: again, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            #expect(try refused.decode(ImportReport.self).errors.map { "\($0.line):\($0.column):\($0.message)" }
                    == ["4:price:is not an amount with at most 2 decimals"])
            let fixed = again.replacingOccurrences(of: "abc", with: "250")
            let report = try await admin.send(.POST, "/api/v1/import/products", raw: fixed, contentType: .csv).decode(ImportReport.self)
            #expect(report.created == 1 && report.updated == 1, "B-2 is unchanged")
            let painted = try await admin.get("/api/v1/products?q=матовая").decode(PageDTO<ProductDTO>.self).items
            #expect(painted.map(\.price) == [dec("100.1")], "an empty price keeps the stored one")
            let exported = try await admin.get("/api/v1/products.csv").text
            #expect(exported == "sku,name,group,unit,price\r\nB-2,Кисть,Инструмент,шт,\r\nC-3,Валик,Инструмент,шт,250\r\nA-1,Краска белая матовая,Краски,л,100.1\r\n"
                    || exported.contains("A-1,Краска белая матовая,Краски,л,100.1"), "\(exported)")
        }
    }

    @Test(arguments: TestDB.all)
    func salesImportAsDocumentsAndReimportReplacesThem(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await catalogue(admin)
            // Д-1: two lines (250.25 + 99.99) for P-1, counterparty left empty (its only one);
            // Д-2: a return for P-2 through K-3; Д-3: a line without price sold at the product's.
            let file = Self.header + """
                Д-1,2026-03-10,P-1,,A-1,2.5,100.10,,180
                Д-1,2026-03-10,P-1,K-1,B-2,3,,99.99,60.50
                Д-2,2026-03-20,P-2,K-3,A-1,-1,100.10,-100.10,-72
                Д-3,2026-04-02,P-2,K-2,A-1,2,,,
                """
            let reply = try await admin.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try reply.decode(ImportReport.self) == ImportReport(created: 3, updated: 0, errors: []))
            let sales = try await admin.get("/api/v1/sales").decode(PageDTO<SaleDTO>.self).items
            #expect(sales.map(\.number) == ["Д-3", "Д-2", "Д-1"])
            #expect(sales.map(\.revenue) == [dec("200.2"), dec("-100.1"), dec("350.24")])
            #expect(sales.map(\.isReturn) == [false, true, false])
            #expect(sales[2].lines.map(\.price) == [dec("100.1"), dec("33.33")] && sales[2].cost == dec("240.5"))
            #expect(sales[2].counterpartyId != nil, "the partner's only counterparty")

            // Д-1 again with one line changed: replaced, not duplicated; the totals follow.
            let again = Self.header + "Д-1,2026-03-11,P-1,K-1,B-2,1,,10,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/sales", raw: again, contentType: .csv).decode(ImportReport.self)
                    == ImportReport(created: 0, updated: 1, errors: []))
            let replaced = try await admin.get("/api/v1/sales?q=Д-1").decode(PageDTO<SaleDTO>.self).items
            #expect(replaced.count == 1 && replaced[0].revenue == 10 && replaced[0].lines.count == 1 && replaced[0].date == "2026-03-11")
            #expect(replaced[0].id == sales[2].id && replaced[0].version == 2)
            let kept = try await SalesTotals.all(on: app.db)
            try await SalesTotals.rebuild(on: app.db)
            #expect(try await SalesTotals.all(on: app.db) == kept)
            #expect(kept.map { "\($0.day):\($0.revenue_cents)" }.sorted() == ["2026-03-11:1000", "2026-03-20:-10010", "2026-04-02:20020"])

            // What is exported imports back unchanged.
            let exported = try await admin.get("/api/v1/sales.csv").text
            let back = try await admin.send(.POST, "/api/v1/import/sales", raw: exported, contentType: .csv).decode(ImportReport.self)
            #expect(back.errors == [] && back.updated == 3)
            let after = try await admin.get("/api/v1/sales").decode(PageDTO<SaleDTO>.self).items
            #expect(after.map(\.lines) == [sales[0].lines, sales[1].lines, replaced[0].lines])
            #expect(try await SalesTotals.all(on: app.db) == kept)
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerCannotReplaceADocumentOfAnotherGroupsPartner(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            for (code, group) in [("P-1", retail), ("P-2", wholesale)] {
                #expect(try await admin.post("/api/v1/partners", ["code": code, "name": code, "accessGroupId": group]).status == .created)
            }
            _ = try await admin.send(.POST, "/api/v1/import/products", raw: "sku,name,group,unit,price\nA-1,Краска,,л,100\n", contentType: .csv)
            let stored = Self.header + "Д-1,2026-03-10,P-1,,A-1,1,,,\nД-2,2026-03-10,P-2,,A-1,1,,,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/sales", raw: stored, contentType: .csv).decode(ImportReport.self).created == 2)
            // The wholesale partner is marked for deletion: its document is still not the manager's.
            let p2 = try #require(try await Partner.query(on: app.db).filter(\.$code == "P-2").first())
            p2.deletionMark = true
            try await p2.save(on: app.db)

            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let file = Self.header + "Д-1,2026-03-11,P-1,,A-1,5,,,\nД-2,2026-03-11,P-1,,A-1,7,,,\n"
            let refused = try await manager.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            #expect(try refused.decode(ImportReport.self).errors.map { "\($0.line):\($0.column):\($0.message)" } == [
                "3:doc_number:is the number of a document of a partner you cannot see",
            ])
            let partial = try await manager.send(.POST, "/api/v1/import/sales?partial=true", raw: file, contentType: .csv)
            #expect(try partial.decode(ImportReport.self).updated == 1)
            let d2 = try await Sale.query(on: app.db).filter(\.$number == "Д-2").first()
            #expect(d2?.partnerID == p2.id && d2?.date == "2026-03-10", "the other group's document is untouched")
            #expect(try await Sale.query(on: app.db).filter(\.$number == "Д-1").first()?.date == "2026-03-11")
        }
    }

    @Test(arguments: TestDB.all)
    func aNumberRepeatedBatchesLaterIsRefusedWithItsFirstLine(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await catalogue(admin)
            // 12,000 one-line documents Н-1… from line 2, but Н-10000 has two rows (lines 10001
            // and 10002, across the end of the first batch of 10,000) and Н-7 (line 8) names an
            // unknown product; then Н-5 and Н-7 start again on lines 12003 and 12004.
            var rows: [String] = []
            for n in 1...12000 {
                rows.append("Н-\(n),2026-03-10,P-1,,\(n == 7 ? "Z-0" : "A-1"),1,,,")
                if n == 10000 { rows.append("Н-10000,2026-03-10,P-1,,A-1,2,,,") }
            }
            rows += ["Н-5,2026-03-11,P-1,,A-1,1,,,", "Н-7,2026-03-11,P-1,,A-1,1,,,"]
            let file = Self.header + rows.joined(separator: "\n") + "\n"
            let refused = try await admin.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            #expect(try refused.decode(ImportReport.self).errors.map { "\($0.line):\($0.column):\($0.message)" } == [
                "8:product_sku:no product with this SKU",
                "12003:doc_number:the document's rows must be together: this number appeared earlier in the file (first on line 6)",
                "12004:doc_number:the document's rows must be together: this number appeared earlier in the file (first on line 8)",
            ], "a document read in two batches is one document; a refused one's number still counts")
            #expect(try await Sale.query(on: app.db).count() == 0)

            let partial = try await admin.send(.POST, "/api/v1/import/sales?partial=true", raw: file, contentType: .csv)
            #expect(try partial.decode(ImportReport.self).created == 11999)
            let across = try await Sale.query(on: app.db).filter(\.$number == "Н-10000").first()
            #expect(across?.lineCount == 2)
            #expect(try await Sale.query(on: app.db).filter(\.$number == "Н-5").first()?.date == "2026-03-10", "the repeat changed nothing")
        }
    }

    @Test(arguments: TestDB.all)
    func oneBadRowLeavesTheDatabaseUnchangedUnlessPartialIsAsked(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await catalogue(admin)
            let file = Self.header + """
                Д-1,2026-03-10,P-1,K-1,A-1,1,,,
                Д-2,2026-03-10,P-2,,A-1,1,,,
                Д-3,2026-02-30,P-404,K-9,Z-0,x,1.005,,
                Д-4,2026-03-10,P-1,,A-1,1,,,
                Д-4,2026-03-11,P-2,K-2,B-2,-1,5,,
                Д-1,2026-03-12,P-1,,A-1,1,,,
                Д-5,2026-03-12,P-2,K-1,B-2,1,,,
                """
            let refused = try await admin.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            let report = try refused.decode(ImportReport.self)
            #expect(report.created == 0 && report.updated == 0)
            #expect(report.errors.map { "\($0.line):\($0.column):\($0.message)" } == [
                "3:counterparty_code:the partner has several counterparties: name one",
                "4:date:must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30",
                "4:partner_code:no partner with this code",
                "4:product_sku:no product with this SKU",
                "4:quantity:is not a number with at most 3 decimals",
                "4:price:is not an amount with at most 2 decimals",
                "6:date:differs from the document's first row (line 5)",
                "6:partner_code:differs from the document's first row (line 5)",
                "6:counterparty_code:differs from the document's first row (line 5)",
                "7:doc_number:the document's rows must be together: this number appeared earlier in the file (first on line 2)",
                "8:counterparty_code:belongs to another partner",
            ])
            let stored = try await Sale.query(on: app.db).count(), totals = try await SalesTotals.all(on: app.db)
            #expect(stored == 0 && totals.isEmpty, "nothing was stored")

            let partial = try await admin.send(.POST, "/api/v1/import/sales?partial=true", raw: file, contentType: .csv)
            #expect(partial.status == .ok)
            #expect(try partial.decode(ImportReport.self).created == 1, "only Д-1 is whole and right")
            #expect(try await admin.get("/api/v1/sales").decode(PageDTO<SaleDTO>.self).items.map(\.number) == ["Д-1"])
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerImportsAndExportsOnlyTheSalesOfTheirPartners(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            #expect(try await admin.post("/api/v1/partners", ["code": "P-1", "name": "Ромашка", "accessGroupId": retail]).status == .created)
            #expect(try await admin.post("/api/v1/partners", ["code": "P-2", "name": "Лютик"]).status == .created)
            _ = try await admin.product("A-1", "Краска", price: 10)
            let file = Self.header + "Д-1,2026-03-10,P-1,,A-1,1,,,\nД-2,2026-03-10,P-2,,A-1,1,,,\n"
            let refused = try await manager.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv).decode(ImportReport.self)
            #expect(refused.errors.map { "\($0.line):\($0.column)" } == ["3:partner_code"])
            #expect(try await admin.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv).status == .ok)
            let exported = try await manager.get("/api/v1/sales.csv").text
            #expect(exported.contains("Д-1") && !exported.contains("Д-2"))
            let products = "sku,name,group,unit,price\nB-2,Кисть,,шт,5\n"
            #expect(try await manager.send(.POST, "/api/v1/import/products", raw: products, contentType: .csv).status == .forbidden)
        }
    }

    /// Imports, API edits, returns, deletion marks and a second import that replaces some
    /// documents and adds others: the kept daily totals equal a recomputation from the documents.
    @Test(arguments: TestDB.all)
    func keptTotalsEqualARecomputationAfterImportsEditsAndDeletions(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await catalogue(admin)
            let first = Self.header + """
                Д-1,2026-01-10,P-1,,A-1,1,,,50
                Д-2,2026-01-10,P-2,K-2,B-2,4,5,,1
                Д-2,2026-01-10,P-2,K-2,A-1,1,100,,
                Д-3,2026-02-01,P-2,K-3,A-1,-1,100.10,,
                """
            #expect(try await admin.send(.POST, "/api/v1/import/sales", raw: first, contentType: .csv).status == .ok)
            let d1 = try await admin.get("/api/v1/sales?q=Д-1").decode(PageDTO<SaleDTO>.self).items[0]
            // The audit entry of an imported document is what the API's audit would write.
            let entries = try await AuditEntry.query(on: app.db).filter(\.$objectID == d1.id.uuidString).all()
            let expected = FieldChange.json(FieldChange.diff(old: nil, new: [
                "number": .string("Д-1"), "date": .string("2026-01-10"), "partnerId": .string(d1.partnerId.uuidString),
                "counterpartyId": .string(d1.counterpartyId!.uuidString), "revenue": .number(dec("100.1")), "cost": .number(50),
                "lineCount": .number(1)]))
            #expect(entries.map(\.changes) == [expected])

            #expect(try await admin.send(.PATCH, "/api/v1/sales/\(d1.id)", json: JSONObject(["date": "2026-01-20"])).status == .ok)
            let d2 = try await admin.get("/api/v1/sales?q=Д-2").decode(PageDTO<SaleDTO>.self).items[0]
            #expect(try await admin.delete("/api/v1/sales/\(d2.id)").status == .ok)
            let p1 = try await Partner.query(on: app.db).filter(\.$code == "P-1").first()!.id!
            let a = try await Product.query(on: app.db).filter(\.$sku == "A-1").first()!.id!
            _ = try await admin.sale("Р-9", date: "2026-02-01", partner: p1, lines: [(a, 3, nil, nil, 10)])
            // Д-2 comes back (restored by the import) with other lines, Д-3 moves to March, Д-4 is new.
            let second = Self.header + """
                Д-2,2026-01-11,P-2,K-2,B-2,2,5,,
                Д-3,2026-03-01,P-2,K-3,A-1,-2,100.10,,
                Д-4,2026-03-01,P-1,,B-2,7,5,,3
                """
            let report = try await admin.send(.POST, "/api/v1/import/sales", raw: second, contentType: .csv).decode(ImportReport.self)
            #expect(report == ImportReport(created: 1, updated: 2, errors: []))
            let kept = try await SalesTotals.all(on: app.db)
            try await SalesTotals.rebuild(on: app.db)
            #expect(try await SalesTotals.all(on: app.db) == kept)
            #expect(kept.map { "\($0.day):\($0.revenue_cents):\($0.sales_count):\($0.returns_count)" }.sorted() == [
                "2026-01-11:1000:1:0", "2026-01-20:10010:1:0", "2026-02-01:30030:1:0", "2026-03-01:-20020:0:1", "2026-03-01:3500:1:0"])
        }
    }
}

extension SaleImportTests {
    /// On SQLite the sales import runs without foreign-key checks (it resolves every reference
    /// itself) and with its temporary data in files: whether it is refused or stored, every
    /// connection checks them and keeps temporary data in memory again afterwards, and what it
    /// stored refers only to rows that exist.
    @Test func sqliteChecksForeignKeysAgainAfterASalesImport() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            try await catalogue(admin)
            let bad = Self.header + "Д-1,2026-03-10,P-1,,A-1,1,,,\nД-2,2026-03-10,P-1,,Z-9,1,,,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/sales", raw: bad, contentType: .csv).status == .unprocessableEntity)
            let good = Self.header + "Д-1,2026-03-10,P-1,,A-1,1,,,\nД-2,2026-03-11,P-2,K-3,B-2,2,5,,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/sales", raw: good, contentType: .csv).status == .ok)
            #expect(try await app.db.sql.raw("PRAGMA foreign_key_check").all().isEmpty)
            for loop in app.eventLoopGroup.makeIterator() {
                let sql = app.databases.database(logger: app.logger, on: loop)!.sql
                #expect(try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self) == 1)
                #expect(try await sql.raw("PRAGMA temp_store").first()?.decode(column: "temp_store", as: Int.self) == 2,
                        "temporary data in memory again, as the server keeps it")
                let orphan = "INSERT INTO sale_lines VALUES (987654, 1, '00000000-0000-0000-0000-000000000001', 1, 1, 1, 1)"
                await #expect(throws: (any Error).self, "a line of no document is refused") { try await sql.raw(SQLQueryString(orphan)).run() }
            }
        }
    }
}
