import Fluent
import Testing
import Vapor
@testable import Sdelka

@Suite struct PartnerImportTests {
    let header = "code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel\n"

    func setUp(_ admin: API) async throws {
        _ = try await admin.post("/api/v1/business-regions", ["name": "Урал"])
        _ = try await admin.post("/api/v1/access-groups", ["name": "Опт"])
        _ = try await admin.post("/api/v1/channels", ["name": "Выставка"])
    }

    func partners(_ app: Application) async throws -> [Partner] {
        try await Partner.query(on: app.db).sort(\.$code).all()
    }

    @Test(arguments: TestDB.all)
    func importCreatesThenReimportUpdatesByCode(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await setUp(admin)
            let file = header + [
                "C-2,Ромашка-Юг,,company,true,false,false,C-1,admin,урал,Опт,Выставка",
                #"C-1,"ООО ""Ромашка""",Общество «Ромашка»,company,да,нет,0,,,,,"#,
                "C-3,Иванов Пётр,,person,1,1,0,,,,,",
            ].joined(separator: "\n") + "\n"
            let first = try await admin.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv)
            #expect(first.status == .ok, "\(first.text)")
            #expect(try first.decode(ImportReport.self) == ImportReport(created: 3, updated: 0, errors: []))
            let stored = try await partners(app)
            #expect(stored.map(\.name) == ["ООО \"Ромашка\"", "Ромашка-Юг", "Иванов Пётр"])
            #expect(stored[1].parentID == stored[0].id, "the parent is linked though it came later in the file")
            #expect(stored[2].kind == .person && stored[2].isSupplier)
            #expect(try await PrimaryInterest.query(on: app.db).count() == 1)
            let found = try await admin.get("/api/v1/partners?q=ромашка").json()
            #expect(found["total"] as? Int == 2, "imported partners are searchable")

            let again = file.replacingOccurrences(of: "Иванов Пётр", with: "Иванов Пётр Ильич")
            let second = try await admin.send(.POST, "/api/v1/import/partners", raw: again, contentType: .csv)
            #expect(try second.decode(ImportReport.self) == ImportReport(created: 0, updated: 1, errors: []))
            let after = try await partners(app)
            #expect(after.count == 3, "re-import never duplicates")
            #expect(after[2].name == "Иванов Пётр Ильич" && after[2].version == 2)
            let log = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(after[2].id!)").json()
            let changes = ((log["items"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])
            let nameChange = changes?.first { $0["field"] as? String == "name" }
            #expect(nameChange?["old"] as? String == "Иванов Пётр")
            #expect(nameChange?["new"] as? String == "Иванов Пётр Ильич")
        }
    }

    @Test(arguments: TestDB.all)
    func aFileWithErrorsImportsNothingAndNamesLineAndColumn(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await setUp(admin)
            let file = header + [
                "C-1,Хороший,,company,true,false,false,,,,,",
                "C-2,,,robot,maybe,false,false,,nobody,Марс,,",
                "C-1,Повтор,,company,,,,,,,,",
                "C-4,Сирота,,company,,,,C-404,,,,",
            ].joined(separator: "\n") + "\n"
            let reply = try await admin.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv)
            #expect(reply.status == .unprocessableEntity)
            let report = try reply.decode(ImportReport.self)
            #expect(report.created == 0 && report.updated == 0)
            #expect(report.errors.map { "\($0.line):\($0.column)" } == [
                "3:name", "3:kind", "3:is_client", "3:manager_login", "3:region", "4:code", "5:parent_code",
            ])
            #expect(report.errors.first { $0.column == "code" }?.message == "appears twice in the file (first on line 2)")
            #expect(try await partners(app).isEmpty, "the database is unchanged")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$objectType == "partner").count() == 0)

            let partial = try await admin.send(.POST, "/api/v1/import/partners?partial=true", raw: file, contentType: .csv)
            #expect(partial.status == .ok)
            #expect(try partial.decode(ImportReport.self).created == 2, "the good rows go in when partial is asked")
        }
    }

    @Test(arguments: TestDB.all)
    func badHeadersAndBrokenQuotesAreRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let wrong = try await admin.send(.POST, "/api/v1/import/partners", raw: "code,title\nC-1,X\n", contentType: .csv)
            #expect(wrong.status == .unprocessableEntity)
            #expect(try wrong.decode(ImportReport.self).errors.map(\.column) == ["title", "name"])
            let broken = try await admin.send(.POST, "/api/v1/import/partners", raw: header + "C-1,\"open\n", contentType: .csv)
            #expect(try broken.decode(ImportReport.self).errors.first?.message == "a quoted field is not closed")
            #expect(try await admin.send(.POST, "/api/v1/import/planets", raw: "x", contentType: .csv).status == .notFound)
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerImportsOnlyIntoTheirGroups(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            _ = try await admin.post("/api/v1/access-groups", ["name": "Опт"])
            _ = try await admin.post("/api/v1/partners", ["name": "Чужой", "code": "X-1", "accessGroupId": try await admin.get("/api/v1/access-groups?q=опт").json()["items"].flatMap { ($0 as? [[String: Any]])?.first?["id"] as? String }!])
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let file = header + "M-1,Свой,,,,,,,,,,\nM-2,В опт,,,,,,,,,Опт,\nX-1,Захват,,,,,,,,,,\n"
            let report = try await manager.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv).decode(ImportReport.self)
            #expect(report.errors.map { "\($0.line):\($0.column)" } == ["3:access_group", "4:code"])
            #expect(try await Partner.query(on: app.db).filter(\.$code == "X-1").first()?.name == "Чужой")
        }
    }
}

extension PartnerImportTests {
    /// A file may not close a loop in the holding tree, with its own rows or with partners
    /// already stored; a partial import keeps each such partner under the parent it had.
    @Test(arguments: TestDB.all)
    func parentsThatMakeALoopAreRefusedAndParentChangesAudited(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let stored = header + "H-1,Холдинг,,company,true,false,false,,,,,\nH-2,Дочка,,company,true,false,false,H-1,,,,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/partners", raw: stored, contentType: .csv).status == .ok)
            let loop = header + [
                "H-1,Холдинг,,company,true,false,false,H-2,,,,",
                "A-1,Альфа,,company,true,false,false,A-2,,,,",
                "A-2,Бета,,company,true,false,false,A-1,,,,",
                "B-1,Внучка,,company,true,false,false,H-2,,,,",
            ].joined(separator: "\n") + "\n"
            let refused = try await admin.send(.POST, "/api/v1/import/partners", raw: loop, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            let report = try refused.decode(ImportReport.self)
            #expect(report.errors.map { "\($0.line):\($0.column)" } == ["2:parent_code", "3:parent_code", "4:parent_code"])
            #expect(report.errors.allSatisfy { $0.message == "would make the holding tree a loop" })
            #expect(try await partners(app).map(\.code) == ["H-1", "H-2"], "nothing of the file is kept")

            let partial = try await admin.send(.POST, "/api/v1/import/partners?partial=true", raw: loop, contentType: .csv)
            #expect(try partial.decode(ImportReport.self).errors.count == 3)
            let after = Dictionary(uniqueKeysWithValues: try await partners(app).map { ($0.code!, $0) })
            #expect(after["H-1"]?.parentID == nil && after["H-2"]?.parentID == after["H-1"]?.id, "the stored tree is as it was")
            #expect(after["A-1"]?.parentID == nil && after["A-2"]?.parentID == nil)
            #expect(after["B-1"]?.parentID == after["H-2"]?.id)
            let log = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(after["B-1"]!.id!)").json()
            let parentChange = ((log["items"] as? [[String: Any]])?.first?["changes"] as? [[String: Any]])?.first
            #expect(parentChange?["field"] as? String == "parentId")
            #expect(parentChange?["new"] as? String == after["H-2"]!.id!.uuidString)
        }
    }
}

extension PartnerImportTests {
    /// A bulk load gathers PostgreSQL's statistics at once: the planner sees the new rows
    /// (before, a table loaded from empty looked empty until autovacuum came by). After the
    /// commit the tables are vacuumed, so that the first searches do not pay for it.
    @Test func aBulkLoadOnPostgreSQLLeavesThePlannerTheRowCount() async throws {
        guard TestDB.all.contains(.postgres) else { return }
        try await withSdelka(.postgres) { app in
            let admin = try await API.admin(app)
            let rows = (1...BatchedCSVImport.analyzeFrom).map { "B-\($0),Партнёр \($0)" }
            let file = "code,name\n" + rows.joined(separator: "\n") + "\n"
            let report = try await admin.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv).decode(ImportReport.self)
            #expect(report.created == BatchedCSVImport.analyzeFrom)
            let count = try await PartnerQueries.approximatePartnerCount(on: app.db.sql)
            #expect(count == BatchedCSVImport.analyzeFrom)

            // Once committed, the tables loaded are vacuumed (`Importers.run`).
            struct Vacuumed: Decodable { var relname: String; var vacuumed: Bool }
            let tables = try await app.db.sql.raw("""
                SELECT relname, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables
                 WHERE schemaname = current_schema() AND relname IN ('partners', 'partner_search_documents', 'counterparties')
                 ORDER BY relname
                """).all(decoding: Vacuumed.self)
            #expect(tables.map { "\($0.relname):\($0.vacuumed)" } == ["counterparties:false", "partner_search_documents:true", "partners:true"])
        }
    }
}
