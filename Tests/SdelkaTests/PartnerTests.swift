import SQLKit
import Testing
import Vapor
@testable import Sdelka

@Suite struct PartnerTests {
    struct Page: Decodable { var items: [PartnerDTO]; var total: Int }

    @Test(arguments: TestDB.all)
    func createReadAndSearchInCyrillicAndByContacts(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let created = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "ООО \"Ромашка\"", "code": "P-001",
                "contacts": [["type": "phone", "kind": "work", "value": "+7 (495) 123-45-67"],
                             ["type": "email", "kind": "work", "value": "Info@Romashka.ru"]],
            ]))
            #expect(created.status == .created, "\(created.text)")
            let partner = try created.decode(PartnerDTO.self)
            #expect(partner.fullName == "ООО \"Ромашка\"", "full name defaults to the name")
            #expect(partner.kind == "company" && partner.isClient)
            #expect(partner.contacts.map(\.value) == ["+7 (495) 123-45-67", "Info@Romashka.ru"])
            _ = try await admin.post("/api/v1/partners", ["name": "ИП Васильков"])

            for q in ["ромашка", "РОМАШКА", "8 495 123 45 67", "4951234567", "info@romashka", "p-001"] {
                let found = try await admin.get("/api/v1/partners?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").decode(Page.self)
                #expect(found.items.map(\.name) == ["ООО \"Ромашка\""], "q=\(q)")
            }
            let all = try await admin.get("/api/v1/partners").decode(Page.self)
            #expect(all.total == 2)
        }
    }

    /// The search indexes follow every change; `%` and `_` are plain characters; short text works.
    @Test(arguments: TestDB.all)
    func searchFollowsChangesAndTakesTextLiterally(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            func names(_ q: String) async throws -> [String] {
                try await admin.get("/api/v1/partners?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").decode(Page.self).items.map(\.name)
            }
            let partner = try await admin.post("/api/v1/partners", ["name": "Скидка 100% опт"]).decode(PartnerDTO.self)
            _ = try await admin.post("/api/v1/partners", ["name": "Скидка 1000 розница"])
            _ = try await admin.post("/api/v1/partners", ["name": "Ёлка_и_Ко"])
            #expect(try await names("100%") == ["Скидка 100% опт"], "% is not a wildcard")
            #expect(try await names("а_и") == ["Ёлка_и_Ко"], "_ is not a wildcard")
            #expect(try await names("ёл") == ["Ёлка_и_Ко"], "two letters still find")
            #expect(try await names("скидка").count == 2)

            _ = try await admin.send(.PATCH, "/api/v1/partners/\(partner.id)", json: JSONObject([
                "version": 1, "name": "Распродажа", "fullName": "ООО «Распродажа»", "contacts": [JSONObject(["type": "email", "kind": "", "value": "sale@shop.ru"])]]))
            #expect(try await names("100%") == [], "the old name is gone from the index")
            #expect(try await names("распродажа") == ["Распродажа"])
            #expect(try await names("sale@shop") == ["Распродажа"])
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": partner.id.uuidString, "name": "Лаврентьева Зоя"]).json()
            #expect(try await names("лаврентьева") == ["Распродажа"])
            _ = try await admin.send(.PATCH, "/api/v1/contact-persons/\(person["id"] as! String)", json: JSONObject(["version": 1, "name": "Орлова Зоя"]))
            #expect(try await names("лаврентьева") == [])
            #expect(try await names("орлова") == ["Распродажа"])
        }
    }

    /// A search's total and page follow the deletion mark, the access group and contact
    /// persons moving in a merge, with and without a filter besides `q`.
    @Test(arguments: TestDB.all)
    func searchTotalsFollowMarksGroupsAndMovedPersons(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("sidorov", role: "manager", groups: [retail])
            func found(_ user: API, _ query: String) async throws -> (total: Int, names: [String]) {
                let page = try await user.get("/api/v1/partners?\(query)").decode(Page.self)
                return (page.total, page.items.map(\.name))
            }
            let sigma = try await admin.post("/api/v1/partners", ["name": "Сигма", "accessGroupId": retail]).decode(PartnerDTO.self)
            let tau = try await admin.post("/api/v1/partners", ["name": "Тау", "accessGroupId": retail]).decode(PartnerDTO.self)
            _ = try await admin.post("/api/v1/contact-persons", ["partnerId": sigma.id.uuidString, "name": "Зайцев Пётр"])
            _ = try await admin.post("/api/v1/contact-persons", ["partnerId": tau.id.uuidString, "name": "Зайцева Анна"])
            #expect(try await found(manager, "q=зайцев") == (2, ["Сигма", "Тау"]))
            #expect(try await found(manager, "q=зайцев&isClient=true") == (2, ["Сигма", "Тау"]))

            _ = try await admin.patch("/api/v1/partners/\(tau.id)", ["version": 1, "accessGroupId": wholesale])
            #expect(try await found(manager, "q=зайцев") == (1, ["Сигма"]), "Тау left the manager's groups")
            #expect(try await found(admin, "q=зайцев") == (2, ["Сигма", "Тау"]))

            _ = try await admin.delete("/api/v1/partners/\(sigma.id)?version=1")
            #expect(try await found(manager, "q=зайцев") == (0, []), "a partner marked for deletion is not found")
            #expect(try await found(manager, "q=зайцев&includeDeleted=true") == (1, ["Сигма"]))
            _ = try await admin.post("/api/v1/partners/\(sigma.id)/restore", [String: String]())
            #expect(try await found(manager, "q=зайцев") == (1, ["Сигма"]))

            let merged = try await admin.post("/api/v1/partners/\(sigma.id)/merge", ["intoId": tau.id.uuidString])
            #expect(merged.status == .ok, "\(merged.text)")
            #expect(try await found(manager, "q=пётр") == (0, []), "Пётр moved to Тау, outside the manager's groups")
            #expect(try await found(admin, "q=петр") == (1, ["Тау"]))
        }
    }

    @Test(arguments: TestDB.all)
    func validationNamesEachField(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let reply = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": " ", "kind": "company", "gender": "female", "birthDate": "1990-02-30",
                "accessGroupId": UUID().uuidString, "mainManagerId": UUID().uuidString,
                "contacts": [["type": "pigeon", "kind": "", "value": "x"], ["type": "email", "kind": "work", "value": "no-at"]],
            ]))
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorFields == [
                "name": "must not be empty",
                "gender": "applies to persons only",
                "birthDate": "must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30",
                "accessGroupId": "names an access group that does not exist",
                "mainManagerId": "names a user that does not exist or is not active",
                "contacts.0.type": "must be one of: phone, email, address, web, fax, messenger, other",
                "contacts.1.value": "is not an e-mail address",
            ])
            #expect(try await admin.get("/api/v1/partners").decode(Page.self).total == 0, "nothing was saved")
        }
    }

    @Test(arguments: TestDB.all)
    func holdingsCannotLoop(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let holding = try await admin.post("/api/v1/partners", ["name": "Холдинг"]).decode(PartnerDTO.self)
            let shop = try await admin.post("/api/v1/partners", ["name": "Магазин", "parentId": holding.id.uuidString]).decode(PartnerDTO.self)
            #expect(shop.parentId == holding.id)
            let loop = try await admin.patch("/api/v1/partners/\(holding.id)", ["parentId": shop.id.uuidString])
            #expect(loop.errorFields["parentId"] == "would make the holding tree a loop")
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerNeverSeesFindsOrChangesAPartnerOutsideTheirGroups(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let hidden = try await admin.post("/api/v1/partners", ["name": "Оптовик", "accessGroupId": wholesale]).decode(PartnerDTO.self)

            let own = try await manager.post("/api/v1/partners", ["name": "Магазин у дома"])
            #expect(own.status == .created)
            #expect(try own.decode(PartnerDTO.self).accessGroupId?.uuidString == retail, "their only group is the default")

            let list = try await manager.get("/api/v1/partners").decode(Page.self)
            #expect(list.items.map(\.name) == ["Магазин у дома"])
            #expect(try await manager.get("/api/v1/partners?q=оптовик").decode(Page.self).total == 0)
            #expect(try await manager.get("/api/v1/partners/\(hidden.id)").status == .notFound)
            #expect(try await manager.patch("/api/v1/partners/\(hidden.id)", ["name": "Мой"]).status == .notFound)
            #expect(try await manager.delete("/api/v1/partners/\(hidden.id)").status == .notFound)
            let intoOther = try await manager.post("/api/v1/partners", ["name": "Чужой", "accessGroupId": wholesale])
            #expect(intoOther.errorFields["accessGroupId"] == "is not one of your access groups")
            let under = try await manager.post("/api/v1/partners", ["name": "Дочка", "parentId": hidden.id.uuidString])
            #expect(under.errorFields["parentId"] == "names a partner that does not exist")

            let (viewer, _) = try await admin.createUser("watcher", role: "viewer", groups: [wholesale])
            #expect(try await viewer.get("/api/v1/partners").decode(Page.self).items.map(\.name) == ["Оптовик"])
            #expect(try await viewer.post("/api/v1/partners", ["name": "Нельзя"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDB.all)
    func changesAreAuditedAndPurgeRespectsReferences(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let region = try await admin.post("/api/v1/business-regions", ["name": "Урал"]).json()["id"] as! String
            let partner = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Уралсталь", "businessRegionId": region,
                "contacts": [["type": "phone", "kind": "work", "value": "83432000000"]]])).decode(PartnerDTO.self)
            _ = try await admin.send(.PATCH, "/api/v1/partners/\(partner.id)", json: JSONObject([
                "version": 1, "contacts": [["type": "phone", "kind": "mobile", "value": "89120000000"]]]))
            let log = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(partner.id)").json()
            let update = (log["items"] as? [[String: Any]])?.first
            let changes = update?["changes"] as? [[String: Any]]
            #expect(changes?.map { $0["field"] as? String } == ["contacts"])

            _ = try await admin.delete("/api/v1/business-regions/\(region)")
            let kept = try await admin.post("/api/v1/purge").json()["kept"] as? [[String: Any]]
            #expect(kept?.first?["referencedBy"] as? [String] == ["partner"])
        }
    }
}

extension PartnerTests {
    @Test(arguments: TestDB.all)
    func theCardShowsWhereTheClientCameFrom(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let exhibition = try await admin.post("/api/v1/channels", ["name": "Выставка «Продэкспо»"]).json()["id"] as! String
            let referral = try await admin.post("/api/v1/channels", ["name": "Рекомендация"]).json()["id"] as! String
            let friend = try await admin.post("/api/v1/partners", ["name": "Старый клиент"]).decode(PartnerDTO.self)
            let created = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Новый клиент", "source": ["channelId": exhibition, "note": "Стенд B-12"]]))
            let partner = try created.decode(PartnerDTO.self)
            #expect(partner.source == SourceDTO(channelId: UUID(uuidString: exhibition)!, eventId: nil, referrerPartnerId: nil, note: "Стенд B-12"))

            let changed = try await admin.send(.PATCH, "/api/v1/partners/\(partner.id)", json: JSONObject([
                "source": ["channelId": referral, "referrerPartnerId": friend.id.uuidString]]))
            #expect(try changed.decode(PartnerDTO.self).source?.referrerPartnerId == friend.id)
            #expect(try await PrimaryInterest.query(on: app.db).count() == 1, "editing keeps one registration record")

            let bad = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Кто-то", "source": ["channelId": UUID().uuidString]]))
            #expect(bad.errorFields["source.channelId"] == "names a channel that does not exist")

            _ = try await admin.delete("/api/v1/channels/\(referral)")
            let kept = try await admin.post("/api/v1/purge").json()["kept"] as? [[String: Any]]
            #expect(kept?.contains { $0["id"] as? String == referral && ($0["referencedBy"] as? [String]) == ["primaryInterest"] } == true)
        }
    }
}

extension PartnerTests {
    /// A search matching most partners is paged by walking the name index on SQLite: the pages,
    /// their order and the total must be what the plain plan gives, both ways and past the end.
    @Test(arguments: TestDB.all)
    func aBroadSearchPagesInNameOrder(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let names = ["Торгсервис", "Альфаторг", "Волгаторг", "Ёлкаторг", "Бета", "Гамматорг", "Дельта", "Евроторг", "Жемчугторг", "Зенитторг"]
            for name in names { _ = try await admin.post("/api/v1/partners", ["name": name]) }
            let marked = try await admin.get("/api/v1/partners?q=%D0%B6%D0%B5%D0%BC%D1%87%D1%83%D0%B3").json()
            let pearl = ((marked["items"] as? [[String: Any]])?.first?["id"] as? String)!
            _ = try await admin.delete("/api/v1/partners/\(pearl)")
            // PostgreSQL knows the size of the table once it has been analysed.
            try await (app.db as! any SQLDatabase).raw("ANALYZE partners").run()
            #expect(try await PartnerQueries.approximatePartnerCount(on: app.db as! any SQLDatabase) == 10)
            let expected = names.filter { $0.lowercased().contains("торг") && $0 != "Жемчугторг" }.sorted()
            func page(_ number: Int, _ sort: String) async throws -> (total: Int?, names: [String]) {
                let json = try await admin.get("/api/v1/partners?q=%D1%82%D0%BE%D1%80%D0%B3&per=2&page=\(number)&sort=\(sort)").json()
                return (json["total"] as? Int, (json["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? [])
            }
            var ascending: [String] = [], descending: [String] = []
            for number in 1...4 {
                let up = try await page(number, "name"), down = try await page(number, "-name")
                #expect(up.total == 7 && down.total == 7)
                ascending += up.names
                descending += down.names
            }
            #expect(ascending == expected)
            #expect(descending == expected.reversed())
            #expect(try await page(5, "name").names.isEmpty)
        }
    }
}
