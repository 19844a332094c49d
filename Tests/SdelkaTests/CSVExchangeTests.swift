import Fluent
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// Counterparty and contact-person imports, and the CSV exports of all three, in the formats
/// of ARCHITECTURE.md.
@Suite struct CSVExchangeTests {
    func partners(_ admin: API, _ codes: [(String, String)], group: String? = nil) async throws {
        for (code, name) in codes {
            var body: [String: any Encodable & Sendable] = ["code": code, "name": name]
            if let group { body["accessGroupId"] = group }
            #expect(try await admin.post("/api/v1/partners", body).status == .created)
        }
    }

    @Test(arguments: TestDB.all)
    func counterpartiesImportWithTheRulesOfTheAPIAndReimportKeepsHistory(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await partners(admin, [("P-1", "Сбер"), ("P-2", "Яндекс")])
            let header = "code,partner_code,name,legal_form,inn,kpp,ogrn\n"
            let bad = header + [
                "K-1,P-1,ПАО Сбербанк,legalEntity,7707083893,773601001,1027700132195",
                "K-2,P-404,ООО Никто,legalEntity,,,",
                "K-3,P-2,ООО Яндекс,legalEntity,7736207544,,",
                "K-4,P-2,ООО Яндекс-2,legalEntity,7707083893,773601001,",
                "K-5,P-2,ИП Кто-то,soleProprietor,500100732259,773601001,",
                "K-1,P-2,Повтор,,,,",
            ].joined(separator: "\n")
            let refused = try await admin.send(.POST, "/api/v1/import/counterparties", raw: bad, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            let report = try refused.decode(ImportReport.self)
            #expect(report.errors.map { "\($0.line):\($0.column)" } == ["3:partner_code", "4:inn", "5:inn", "6:kpp", "7:code"])
            #expect(report.errors[1].message == "check digit does not match: the 10th digit should be 3")
            #expect(report.errors[2].message == "the same INN and KPP are on line 2")
            #expect(try await Counterparty.query(on: app.db).count() == 0, "the database is unchanged")

            let good = header + "K-1,P-1,ПАО Сбербанк,legalEntity,7707083893,773601001,1027700132195\nK-3,P-2,ООО «Яндекс»,,7736207543,773601001,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/counterparties", raw: good, contentType: .csv)
                .decode(ImportReport.self) == ImportReport(created: 2, updated: 0, errors: []))
            // The first import read nothing back; a later one checks what is stored.
            let twin = header + "K-9,P-2,ООО Двойник,legalEntity,7707083893,773601001,\n"
            let twinReport = try await admin.send(.POST, "/api/v1/import/counterparties", raw: twin, contentType: .csv).decode(ImportReport.self)
            #expect(twinReport.errors.map { "\($0.line):\($0.column):\($0.message)" } == ["2:inn:a counterparty with this INN and KPP already exists: ПАО Сбербанк"])
            let renamed = good.replacingOccurrences(of: "ООО «Яндекс»,,7736207543,773601001", with: "ООО «Яндекс Плюс»,,7736207543,770401001")
            #expect(try await admin.send(.POST, "/api/v1/import/counterparties", raw: renamed, contentType: .csv)
                .decode(ImportReport.self) == ImportReport(created: 0, updated: 1, errors: []))
            let yandex = try #require(try await Counterparty.query(on: app.db).filter(\.$code == "K-3").first())
            let dto = try CounterpartyDTO(yandex, contacts: [])
            #expect(dto.name == "ООО «Яндекс Плюс»" && dto.version == 2)
            #expect(dto.nameHistory.map(\.value) == ["ООО «Яндекс»"] && dto.kppHistory.map(\.value) == ["773601001"])
            let found = try await admin.get("/api/v1/partners?q=7736207543").json()
            #expect(found["total"] as? Int == 1, "partners are found by the imported INN")
        }
    }

    @Test(arguments: TestDB.all)
    func contactPersonsImportUpdatesTheSamePersonOnReimport(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            try await partners(admin, [("P-1", "Ромашка")])
            let header = "partner_code,name,position,phone,email\n"
            let bad = header + "P-1,Иванова Анна,Бухгалтер,12,anna@\nP-9,Петров,,,\n"
            let refused = try await admin.send(.POST, "/api/v1/import/contact-persons", raw: bad, contentType: .csv)
            #expect(try refused.decode(ImportReport.self).errors.map { "\($0.line):\($0.column)" } == ["2:phone", "2:email", "3:partner_code"])
            #expect(try await ContactPerson.query(on: app.db).count() == 0)

            let file = header + "P-1,Иванова Анна,Бухгалтер,8 (495) 123-45-67,anna@romashka.ru\nP-1,Петров Олег,Директор,,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/contact-persons", raw: file, contentType: .csv)
                .decode(ImportReport.self) == ImportReport(created: 2, updated: 0, errors: []))
            let again = header + "P-1,иванова  анна,Главный бухгалтер,,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/contact-persons", raw: again, contentType: .csv)
                .decode(ImportReport.self) == ImportReport(created: 0, updated: 1, errors: []))
            let people = try await admin.get("/api/v1/contact-persons").decode(PageDTO<ContactPersonDTO>.self).items
            #expect(people.map(\.name) == ["Иванова Анна", "Петров Олег"])
            #expect(people[0].position == "Главный бухгалтер")
            #expect(people[0].contacts.map(\.value) == ["8 (495) 123-45-67", "anna@romashka.ru"], "empty cells keep what is stored")
            let byPhone = try await admin.get("/api/v1/partners?q=%2B74951234567").json()
            #expect(byPhone["total"] as? Int == 1, "the imported phone finds the partner")
        }
    }

    @Test(arguments: TestDB.all)
    func exportsHaveTheImportColumnsRoundTripAndHideOtherGroups(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            _ = try await admin.post("/api/v1/channels", ["name": "Выставка"])
            let partnersFile = "code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel\n"
                + "P-1,\"ООО \"\"Ромашка\"\"\",\"Ромашка, Москва\",company,true,false,false,,admin,,Розница,Выставка\n"
                + "P-2,Ромашка-Юг,Ромашка-Юг,company,true,true,false,P-1,,,Розница,\n"
                + "P-3,Чужой,Чужой,person,false,false,true,,,,Опт,\n"
                + "P-4,=2+3,@SUM(A1),company,true,false,false,,,,Розница,\n"
            #expect(try await admin.send(.POST, "/api/v1/import/partners", raw: partnersFile, contentType: .csv).status == .ok)
            _ = try await admin.send(.POST, "/api/v1/import/counterparties", raw: "code,partner_code,name,legal_form,inn,kpp,ogrn\nK-1,P-1,ООО Ромашка,legalEntity,7707083893,773601001,\nK-3,P-3,ИП Чужой,individual,,,\n", contentType: .csv)
            _ = try await admin.send(.POST, "/api/v1/import/contact-persons", raw: "partner_code,name,position,phone,email\nP-1,Анна,Бухгалтер,+74951234567,a@r.ru\nP-3,Борис,,,\n", contentType: .csv)

            let exported = try await admin.get("/api/v1/partners.csv")
            #expect(exported.status == .ok && exported.headers.contentType?.subType == "csv")
            let lines = exported.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == partnersFile.split(separator: "\n").first.map(String.init))
            #expect(Set(lines.dropFirst()) == Set([
                "P-1,\"ООО \"\"Ромашка\"\"\",\"Ромашка, Москва\",company,true,false,false,,admin,,Розница,Выставка",
                "P-2,Ромашка-Юг,Ромашка-Юг,company,true,true,false,P-1,,,Розница,",
                "P-3,Чужой,Чужой,person,false,false,true,,,,Опт,",
                "P-4,'=2+3,'@SUM(A1),company,true,false,false,,,,Розница,"]), "a formula-like cell is written as text")
            let reimport = try await admin.send(.POST, "/api/v1/import/partners", raw: exported.text, contentType: .csv)
            #expect(try reimport.decode(ImportReport.self) == ImportReport(created: 0, updated: 0, errors: []), "the export reads back unchanged")

            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            _ = wholesale
            let own = try await manager.get("/api/v1/partners.csv").text
            #expect(own.contains("P-1") && !own.contains("Чужой"), "a manager never exports a partner outside their groups")
            let counterparties = try await manager.get("/api/v1/counterparties.csv").text
            #expect(counterparties == "code,partner_code,name,legal_form,inn,kpp,ogrn\r\nK-1,P-1,ООО Ромашка,legalEntity,7707083893,773601001,\r\n")
            let people = try await manager.get("/api/v1/contact-persons.csv").text
            #expect(people == "partner_code,name,position,phone,email\r\nP-1,Анна,Бухгалтер,+74951234567,a@r.ru\r\n")
            let filtered = try await admin.get("/api/v1/partners.csv?isCompetitor=true").text
            #expect(filtered.split(separator: "\r\n").count == 2)
        }
    }
}
