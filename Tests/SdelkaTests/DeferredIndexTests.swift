import Fluent
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// A load into an empty table builds its plain indexes at the end (`DeferredIndexes`): they
/// must come back exactly as the migrations made them, whether the import lands or is refused.
@Suite struct DeferredIndexTests {
    /// The table's indexes by name, as the database's catalogue defines them.
    func indexes(_ table: String, on sql: any SQLDatabase) async throws -> [String: String] {
        struct Index: Decodable { var name: String; var definition: String }
        let query: SQLQueryString = sql.dialect.name == "sqlite"
            ? "SELECT name, coalesce(sql, '(constraint)') AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = \(bind: table)"
            : "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename = \(bind: table) AND schemaname = current_schema()"
        let rows = try await sql.raw(query).all(decoding: Index.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.definition) })
    }

    @Test(arguments: TestDB.all)
    func aFirstLoadBuildsTheIndexesItDroppedAgain(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            _ = try await admin.post("/api/v1/channels", ["name": "Выставка"])
            let tables = ["partners", "primary_interests", "counterparties"]
            var before: [String: [String: String]] = [:]
            for table in tables { before[table] = try await indexes(table, on: app.db.sql) }
            #expect(before["partners"]?.keys.contains("partners_name") == true)

            let partners = "code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel\n"
                + "P-2,Дочка,,company,true,false,false,P-1,admin,,,Выставка\nP-1,Холдинг,,company,true,false,false,,,,,\n"
            let imported = try await admin.send(.POST, "/api/v1/import/partners", raw: partners, contentType: .csv)
            #expect(try imported.decode(ImportReport.self) == ImportReport(created: 2, updated: 0, errors: []))
            let counterparties = "code,partner_code,name,legal_form,inn,kpp,ogrn\nK-1,P-1,ООО «Холдинг»,legalEntity,7707083893,773601001,\n"
            let second = try await admin.send(.POST, "/api/v1/import/counterparties", raw: counterparties, contentType: .csv)
            #expect(try second.decode(ImportReport.self) == ImportReport(created: 1, updated: 0, errors: []))
            for table in tables {
                #expect(try await indexes(table, on: app.db.sql) == before[table], "\(table) has its indexes again")
            }
            let children = try await admin.get("/api/v1/partners?parentId=\(try await Partner.query(on: app.db).filter(\.$code == "P-1").first()!.requireID())").json()
            #expect(children["total"] as? Int == 1, "the rebuilt parent index finds the child")

            // Not empty any more: nothing is dropped.
            let kept = try await app.db.transaction { tx in try await DeferredIndexes.dropIfEmpty("partners", on: tx.sql) }
            #expect(kept == nil)
            #expect(try await indexes("partners", on: app.db.sql) == before["partners"])
        }
    }

    /// The first sales import drops the documents' indexes and builds the daily totals once,
    /// dropping theirs too: both tables end as migrated.
    @Test(arguments: TestDB.all)
    func aFirstSalesLoadLeavesDocumentsAndTotalsIndexed(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await SaleImportTests().catalogue(admin)
            let before = (try await indexes("sales", on: app.db.sql), try await indexes("partner_sales_daily", on: app.db.sql))
            #expect(before.1.keys.contains("partner_sales_daily_day"))
            let file = SaleImportTests.header + "Д-1,2026-03-10,P-1,,A-1,1,,,\nД-2,2026-03-11,P-2,K-3,B-2,2,5,,\n"
            let reply = try await admin.send(.POST, "/api/v1/import/sales", raw: file, contentType: .csv)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await indexes("sales", on: app.db.sql) == before.0)
            #expect(try await indexes("partner_sales_daily", on: app.db.sql) == before.1)
            #expect(try await SalesTotals.all(on: app.db).count == 2, "one day row per partner and date")
        }
    }

    @Test(arguments: TestDB.all)
    func aRefusedFirstLoadLeavesTheIndexes(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let before = try await indexes("partners", on: app.db.sql)
            let file = "code,name\nP-1,Хороший\nP-2,\n"
            let refused = try await admin.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await Partner.query(on: app.db).count() == 0)
            #expect(try await indexes("partners", on: app.db.sql) == before)
        }
    }

    @Test(arguments: TestDB.all)
    func onlyPlainIndexesOfAnEmptyTableAreDropped(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let before = try await indexes("partners", on: app.db.sql)
            try await app.db.transaction { tx in
                let dropped = try #require(try await DeferredIndexes.dropIfEmpty("partners", on: tx.sql))
                let during = try await indexes("partners", on: tx.sql)
                #expect(during.keys.contains("partners_name") == false)
                #expect(during.count == before.count - 6, "six plain indexes: name, name key, parent, manager, region, access group")
                #expect(during.allSatisfy { before[$0.key] == $0.value }, "the key and the unique code stay")
                try await dropped.create(on: tx.sql)
            }
            #expect(try await indexes("partners", on: app.db.sql) == before)
        }
    }
}
