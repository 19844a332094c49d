import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

@Suite struct CounterpartyTests {
    struct Page: Decodable { var items: [CounterpartyDTO]; var total: Int }

    func partner(_ api: API, _ name: String, group: String? = nil) async throws -> String {
        var body: [String: any Encodable & Sendable] = ["name": name]
        if let group { body["accessGroupId"] = group }
        return try await api.post("/api/v1/partners", body).json()["id"] as! String
    }

    @Test(arguments: TestDB.all)
    func registrationNumbersAreCheckedAndNamedByField(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let holding = try await partner(admin, "Сбер")
            let bad = try await admin.post("/api/v1/counterparties", ["partnerId": holding, "name": "ПАО Сбербанк",
                                                                      "inn": "7707083894", "kpp": "77360100", "ogrn": "1027700132194"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.errorFields == ["inn": "check digit does not match: the 10th digit should be 3",
                                        "kpp": "must be 9 characters",
                                        "ogrn": "check digit does not match: the last digit should be 5"])
            let good = try await admin.post("/api/v1/counterparties", ["partnerId": holding, "name": "ПАО Сбербанк",
                                                                       "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"])
            #expect(good.status == .created, "\(good.text)")
            let sole = try await admin.post("/api/v1/counterparties", ["partnerId": holding, "name": "ИП Иванов", "legalForm": "soleProprietor",
                                                                       "inn": "500100732259", "kpp": "773601001", "ogrn": "304500116000157"])
            #expect(sole.errorFields == ["kpp": "applies to legal entities only"])
        }
    }

    @Test(arguments: TestDB.all)
    func sameINNAndKPPIsADuplicateUnlessABranch(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let first = try await partner(admin, "Сбер")
            let second = try await partner(admin, "Сбер-филиал")
            let head = try await admin.post("/api/v1/counterparties", ["partnerId": first, "name": "ПАО Сбербанк", "inn": "7707083893", "kpp": "773601001"])
            let headID = try head.json()["id"] as! String
            let twin = try await admin.post("/api/v1/counterparties", ["partnerId": second, "name": "Сбербанк (копия)", "inn": "7707083893", "kpp": "773601001"])
            #expect(twin.errorFields["inn"] == "a counterparty with this INN and KPP already exists: ПАО Сбербанк")
            let branch = try await admin.post("/api/v1/counterparties", ["partnerId": second, "name": "Филиал", "inn": "7707083893",
                                                                         "kpp": "773601001", "headCounterpartyId": headID])
            #expect(branch.status == .created)
            let otherKPP = try await admin.post("/api/v1/counterparties", ["partnerId": second, "name": "Обособленное", "inn": "7707083893", "kpp": "540602001"])
            #expect(otherKPP.status == .created)
        }
    }

    @Test(arguments: TestDB.all)
    func nameAndKPPChangesAreKeptInHistory(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let owner = try await partner(admin, "Яндекс")
            let id = try await admin.post("/api/v1/counterparties", ["partnerId": owner, "name": "ООО Яндекс", "inn": "7736207543", "kpp": "773601001"]).json()["id"] as! String
            let changed = try await admin.patch("/api/v1/counterparties/\(id)", ["name": "ООО «Яндекс»", "kpp": "770401001", "version": 1])
            #expect(changed.status == .ok, "\(changed.text)")
            let dto = try changed.decode(CounterpartyDTO.self)
            let yesterday = CalendarDate(Date(), in: app.sdelka.timeZone).adding(days: -1).description
            #expect(dto.nameHistory == [HistoryEntry(value: "ООО Яндекс", until: yesterday)])
            #expect(dto.kppHistory == [HistoryEntry(value: "773601001", until: yesterday)])
            #expect(dto.kpp == "770401001")
            let byINN = try await admin.get("/api/v1/partners?q=7736207543").json()
            #expect(((byINN["items"] as? [[String: Any]])?.first?["name"] as? String) == "Яндекс", "partners are found by INN")
        }
    }

    @Test(arguments: TestDB.all)
    func oneCounterpartyPerPartnerWhenIndependentOnesAreOff(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["independentCounterparties"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            let owner = try await partner(admin, "Лавка")
            #expect(try await admin.post("/api/v1/counterparties", ["partnerId": owner, "name": "ИП Лавкин", "legalForm": "soleProprietor"]).status == .created)
            let second = try await admin.post("/api/v1/counterparties", ["partnerId": owner, "name": "ООО Лавка"])
            #expect(second.errorFields["partnerId"] == "already has a counterparty; several per partner are switched off in settings")
        }
    }

    @Test(arguments: TestDB.all)
    func aPartnerAndItsCounterpartyAreWrittenInOneStep(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["independentCounterparties"] = false
            _ = try await admin.put("/api/v1/settings/features", features)

            let bad = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Яндекс", "counterparty": JSONObject(["legalForm": "legalEntity", "inn": "7736207544"])]))
            #expect(bad.errorFields == ["counterparty.inn": "check digit does not match: the 10th digit should be 3"])
            #expect(try await admin.get("/api/v1/partners?q=яндекс").json()["total"] as? Int == 0, "nothing is saved")

            let created = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Яндекс", "fullName": "ООО «Яндекс»", "counterparty": JSONObject(["inn": "7736207543", "kpp": "773601001"])]))
            #expect(created.status == .created, "\(created.text)")
            let partner = try created.decode(PartnerDTO.self)
            let counterparties = try await admin.get("/api/v1/counterparties?partnerId=\(partner.id)").decode(Page.self).items
            #expect(counterparties.map(\.name) == ["ООО «Яндекс»"], "the counterparty is named after the partner's full name")

            let twin = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Яндекс-2", "counterparty": JSONObject(["inn": "7736207543", "kpp": "773601001"])]))
            #expect(twin.errorFields["counterparty.inn"] == "a counterparty with this INN and KPP already exists: ООО «Яндекс»")
            #expect(try await admin.get("/api/v1/partners?q=яндекс-2").json()["total"] as? Int == 0, "the partner is rolled back too")

            let edited = try await admin.send(.PATCH, "/api/v1/partners/\(partner.id)", json: JSONObject([
                "version": 1, "comment": "ключевой клиент", "counterparty": JSONObject(["kpp": "770401001"])]))
            #expect(edited.status == .ok, "\(edited.text)")
            let after = try await admin.get("/api/v1/counterparties?partnerId=\(partner.id)").decode(Page.self).items
            #expect(after.map(\.kpp) == ["770401001"] && after.count == 1)
        }
    }

    @Test(arguments: TestDB.all)
    func counterpartiesOfHiddenPartnersAreHidden(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let visible = try await partner(admin, "Свой", group: retail)
            let hidden = try await partner(admin, "Чужой", group: wholesale)
            _ = try await admin.post("/api/v1/counterparties", ["partnerId": visible, "name": "ООО Свой"])
            let hiddenID = try await admin.post("/api/v1/counterparties", ["partnerId": hidden, "name": "ООО Чужой"]).json()["id"] as! String
            #expect(try await manager.get("/api/v1/counterparties").decode(Page.self).items.map(\.name) == ["ООО Свой"])
            #expect(try await manager.get("/api/v1/counterparties/\(hiddenID)").status == .notFound)
            let intoHidden = try await manager.post("/api/v1/counterparties", ["partnerId": hidden, "name": "Подлог"])
            #expect(intoHidden.errorFields["partnerId"] == "names a partner that does not exist")
        }
    }
}
