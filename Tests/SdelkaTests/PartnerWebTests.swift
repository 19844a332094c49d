import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// The partner pages as a user sees them: list, card, form with inline errors and the
/// duplicate warning, the one-form counterparty, access groups.
@Suite struct PartnerWebTests {
    @Test(arguments: TestDB.all)
    func aManagerRegistersAPartnerAfterSeeingItsPossibleDuplicate(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let channel = try await admin.post("/api/v1/channels", ["name": "Выставка"]).json()["id"] as! String
            let existing = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "ООО \"Ромашка\"", "contacts": [JSONObject(["type": "phone", "kind": "work", "value": "+7 495 123-45-67"])]])).decode(PartnerDTO.self)
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.get("/partners/new")
            #expect(form.status == .ok && form.html.contains("Новый партнер"))

            let invalid = try await browser.submit("/partners", from: form, [
                "name": "Ромашка-Трейд", "kind": "company", "registeredOn": "31.02.2026", "contacts.0.type": "email", "contacts.0.value": "не-почта",
                "confirmDuplicates": "true"])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.html.contains("Укажите дату") && invalid.html.contains("Это не адрес эл. почты"), "inline errors in Russian")
            #expect(invalid.html.contains("value=\"Ромашка-Трейд\""), "what was typed is kept")

            let warned = try await browser.submit("/partners", from: form, [
                "name": "Ромашка", "kind": "company", "isClient": "true", "contacts.0.type": "phone", "contacts.0.value": "8 (495) 123 45 67",
                "source.channelId": channel, "source.note": "стенд B-12"])
            #expect(warned.status == .ok)
            #expect(warned.html.contains("Похожие партнеры уже есть"))
            #expect(warned.html.contains("/partners/\(existing.id)") && warned.html.contains("тот же телефон") && warned.html.contains("похожее название"))
            #expect(try await Partner.query(on: app.db).count() == 1, "nothing saved before the user decides")

            let saved = try await browser.submit("/partners", from: warned, [
                "name": "Ромашка", "kind": "company", "isClient": "true", "contacts.0.type": "phone", "contacts.0.value": "8 (495) 123 45 67",
                "source.channelId": channel, "source.note": "стенд B-12", "confirmDuplicates": "true"])
            #expect(saved.status == .seeOther, "\(saved.html)")
            let card = try await browser.get(saved.location ?? "")
            #expect(card.html.contains("«Ромашка» создан"))
            #expect(card.html.contains("+7 (495) 123-45-67"), "the phone is shown in the Russian format")
            #expect(card.html.contains("Откуда пришёл клиент") && card.html.contains("Выставка") && card.html.contains("стенд B-12"))
        }
    }

    @Test(arguments: TestDB.all)
    func theListSearchesFiltersAndSortsAndTheCardShowsEverything(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let holding = try await admin.post("/api/v1/partners", ["name": "Холдинг Альфа"]).decode(PartnerDTO.self)
            let child = try await admin.post("/api/v1/partners", ["name": "Альфа-Юг", "parentId": holding.id.uuidString, "isSupplier": true]).decode(PartnerDTO.self)
            _ = try await admin.post("/api/v1/counterparties", ["partnerId": child.id.uuidString, "name": "ООО «Альфа-Юг»", "inn": "7707083893", "kpp": "773601001"])
            _ = try await admin.post("/api/v1/contact-persons", ["partnerId": child.id.uuidString, "name": "Сидорова Ольга", "position": "Главный бухгалтер"])
            let kind = try await admin.post("/api/v1/partner-link-kinds", ["name": "Головная компания", "reverseName": "Дочерняя компания"]).json()["id"] as! String
            _ = try await admin.post("/api/v1/partner-links", ["partnerId": holding.id.uuidString, "linkedPartnerId": child.id.uuidString, "kindId": kind])
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)

            let found = try await browser.get("/partners?q=%D1%81%D0%B8%D0%B4%D0%BE%D1%80%D0%BE%D0%B2%D0%B0") // "сидорова"
            #expect(found.html.contains("Альфа-Юг") && !found.html.contains("Холдинг Альфа"), "found through a contact person")
            let suppliers = try await browser.get("/partners?isSupplier=true")
            #expect(suppliers.html.contains("Альфа-Юг") && !suppliers.html.contains("Холдинг Альфа"))
            let descending = try await browser.get("/partners?sort=-name")
            let first = try #require(descending.html.range(of: "Холдинг Альфа")), second = try #require(descending.html.range(of: "Альфа-Юг"))
            #expect(first.lowerBound < second.lowerBound, "Я→А")
            let paged = try await browser.get("/partners?isClient=true&sort=-name&per=1&page=2")
            #expect(paged.html.contains("href=\"/partners?isClient=true&amp;per=1&amp;sort=name\""), "sorting keeps the filters and starts over")
            #expect(paged.html.contains("href=\"/partners?isClient=true&amp;sort=-name&amp;per=1&amp;page=1\""), "paging keeps filters and sort")
            #expect(paged.html.contains("href=\"/export/partners.csv?isClient=true\""), "the export takes the filters only")

            let card = try await browser.get("/partners/\(child.id)")
            #expect(card.html.contains("ООО «Альфа-Юг»") && card.html.contains("7707083893"))
            #expect(card.html.contains("Сидорова Ольга") && card.html.contains("Главный бухгалтер"))
            #expect(card.html.contains("Холдинг Альфа") && card.html.contains("Головная компания"), "the link named from this side")
            let parentCard = try await browser.get("/partners/\(holding.id)")
            #expect(parentCard.html.contains("Дочерняя компания") && parentCard.html.contains("Входящие в холдинг"))
            #expect(card.html.contains("История изменений"))
        }
    }

    @Test(arguments: TestDB.all)
    func withOneCounterpartyPerPartnerTheFormWritesBoth(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["independentCounterparties"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.get("/partners/new")
            #expect(form.html.contains("name=\"counterparty.inn\""))
            let bad = try await browser.submit("/partners", from: form, [
                "name": "Яндекс", "kind": "company", "counterparty.legalForm": "legalEntity", "counterparty.inn": "7736207544"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("Не сходится контрольное число: 10-я цифра должна быть 3"))
            #expect(try await Partner.query(on: app.db).count() == 0)
            let saved = try await browser.submit("/partners", from: form, [
                "name": "Яндекс", "fullName": "ООО «Яндекс»", "kind": "company", "counterparty.legalForm": "legalEntity",
                "counterparty.inn": "7736207543", "counterparty.kpp": "773601001"])
            #expect(saved.status == .seeOther)
            let card = try await browser.get(saved.location ?? "")
            #expect(card.html.contains("ООО «Яндекс»") && card.html.contains("7736207543"))
            #expect(!card.html.contains("/counterparties/new"), "no second counterparty in this mode")
        }
    }

    @Test(arguments: TestDB.all)
    func aManagerNeverSeesAPartnerOutsideTheirGroups(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            _ = try await admin.createUser("petrov", role: "manager", groups: [retail])
            _ = try await admin.post("/api/v1/partners", ["name": "Своя Ромашка", "accessGroupId": retail])
            let hidden = try await admin.post("/api/v1/partners", ["name": "Чужая Ромашка", "accessGroupId": wholesale]).decode(PartnerDTO.self)
            var (browser, _) = try await Browser.signedIn(app, "petrov", "password-petrov")
            let list = try await browser.get("/partners?q=%D1%80%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0")
            #expect(list.html.contains("Своя Ромашка") && !list.html.contains("Чужая Ромашка"))
            #expect(try await browser.get("/partners/\(hidden.id)").status == .notFound)
            let lookup = try await browser.get("/lookup/partners?q=%D1%80%D0%BE%D0%BC")
            #expect(lookup.html.contains("Своя Ромашка") && !lookup.html.contains("Чужая"))
        }
    }

    @Test(arguments: TestDB.all)
    func counterpartiesAndContactPersonsAreAddedFromTheCard(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.post("/api/v1/partners", ["name": "Сбер"]).decode(PartnerDTO.self)
            let role = try await admin.post("/api/v1/contact-roles", ["name": "Закупщик"]).json()["id"] as! String
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)

            let form = try await browser.get("/counterparties/new?partnerId=\(partner.id)")
            #expect(form.status == .ok && form.html.contains("Новый контрагент"))
            let bad = try await browser.submit("/counterparties", from: form, [
                "partnerId": partner.id.uuidString, "name": "ПАО Сбербанк", "legalForm": "legalEntity", "inn": "7707083893", "kpp": "7736010", "ogrn": "1027700132194"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("Ровно 9 символов"), "the KPP rule, in Russian")
            let saved = try await browser.submit("/counterparties", from: form, [
                "partnerId": partner.id.uuidString, "name": "ПАО Сбербанк", "legalForm": "legalEntity", "inn": "7707083893", "kpp": "773601001",
                "ogrn": "1027700132195", "contacts.0.type": "address", "contacts.0.kind": "юридический", "contacts.0.value": "Москва, ул. Вавилова, 19"])
            #expect(saved.location == "/partners/\(partner.id)")
            let counterparty = try #require(try await Counterparty.query(on: app.db).first())
            let edit = try await browser.get("/counterparties/\(counterparty.id!)")
            #expect(edit.html.contains("Москва, ул. Вавилова, 19"))
            let renamed = try await browser.submit("/counterparties/\(counterparty.id!)", from: edit, [
                "version": "1", "name": "ПАО Сбер", "legalForm": "legalEntity", "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195"])
            #expect(renamed.status == .seeOther)
            let history = try await browser.get("/counterparties/\(counterparty.id!)")
            #expect(history.html.contains("Прежние значения") && history.html.contains("ПАО Сбербанк"))

            let personForm = try await browser.get("/contact-persons/new?partnerId=\(partner.id)")
            let person = try await browser.submit("/contact-persons", from: personForm, [
                "partnerId": partner.id.uuidString, "name": "Греф Герман", "position": "Президент", "roles.\(role)": "true",
                "contacts.0.type": "phone", "contacts.0.value": "84955005550"])
            #expect(person.status == .seeOther)
            let card = try await browser.get("/partners/\(partner.id)")
            #expect(card.html.contains("ПАО Сбер") && card.html.contains("Греф Герман") && card.html.contains("Закупщик"))
            #expect(card.html.contains("+7 (495) 500-55-50"))
        }
    }

    @Test(arguments: TestDB.all)
    func aDuplicateIsMergedFromItsCard(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let survivor = try await admin.post("/api/v1/partners", ["name": "Ромашка"]).decode(PartnerDTO.self)
            let twin = try await admin.post("/api/v1/partners", ["name": "Ромашка (дубль)"]).decode(PartnerDTO.self)
            _ = try await admin.post("/api/v1/contact-persons", ["partnerId": twin.id.uuidString, "name": "Иванова Анна"])
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let card = try await browser.get("/partners/\(twin.id)")
            #expect(card.html.contains("action=\"/partners/\(twin.id)/merge\""))

            let itself = try await browser.submit("/partners/\(twin.id)/merge", from: card, ["intoId": twin.id.uuidString])
            #expect(try await browser.get(itself.location ?? "").html.contains("Партнеры не объединены: Выберите другого партнера"))

            let merged = try await browser.submit("/partners/\(twin.id)/merge", from: card, ["intoId": survivor.id.uuidString])
            #expect(merged.location == "/partners/\(survivor.id)")
            let result = try await browser.get(merged.location ?? "")
            #expect(result.html.contains("«Ромашка (дубль)» объединён с «Ромашка»"))
            #expect(result.html.contains("Иванова Анна"), "the contact person moved to the survivor")
            #expect(try await admin.get("/api/v1/partners/\(twin.id)").json()["deletionMark"] as? Bool == true)
        }
    }
}

extension PartnerWebTests {
    /// The card's history speaks the user's language: field labels, named values and the names
    /// of what references point at, never API field names or identifiers.
    @Test(arguments: TestDB.all)
    func theHistoryNamesFieldsAndWhatTheyPointAt(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let ural = try await admin.post("/api/v1/business-regions", ["name": "Урал"]).json()["id"] as! String
            let volga = try await admin.post("/api/v1/business-regions", ["name": "Поволжье"]).json()["id"] as! String
            let (_, manager) = try await admin.createUser("petrova", role: "manager")
            let partner = try await admin.send(.POST, "/api/v1/partners", json: JSONObject([
                "name": "Уралсталь", "kind": "company", "businessRegionId": ural, "mainManagerId": manager])).decode(PartnerDTO.self)
            _ = try await admin.send(.PATCH, "/api/v1/partners/\(partner.id)", json: JSONObject([
                "version": 1, "businessRegionId": volga, "isSupplier": true]))
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let card = try await browser.get("/partners/\(partner.id)")
            #expect(card.html.contains("Бизнес-регион: Урал → Поволжье"))
            #expect(card.html.contains("Основной менеджер: — → Petrova"))
            #expect(card.html.contains("Вид: — → Компания"))
            #expect(card.html.contains("Полное наименование: — → Уралсталь") && !card.html.contains("id: —"))
            #expect(!card.html.contains("businessRegionId") && !card.html.contains(ural.uppercased()))
            let journal = try await browser.get("/audit?objectType=partner")
            #expect(journal.html.contains("Бизнес-регион: Урал → Поволжье"))
        }
    }
}

extension PartnerWebTests {
    /// A history names a counterparty only for a user who may see its partner.
    @Test(arguments: TestDB.all)
    func theHistoryNamesACounterpartyOnlyForWhoMaySeeIt(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            _ = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let bank = try await admin.post("/api/v1/partners", ["name": "Сбер", "accessGroupId": wholesale]).json()["id"] as! String
            let office = try await admin.post("/api/v1/partners", ["name": "Сбер-офис", "accessGroupId": retail]).json()["id"] as! String
            let head = try await admin.post("/api/v1/counterparties", ["partnerId": bank, "name": "ПАО Сбербанк", "inn": "7707083893", "kpp": "773601001"])
                .json()["id"] as! String
            let branch = try await admin.post("/api/v1/counterparties", ["partnerId": office, "name": "Филиал", "inn": "7707083893",
                                                                         "kpp": "773601001", "headCounterpartyId": head]).json()["id"] as! String
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(try await browser.get("/counterparties/\(branch)").html.contains("Головной контрагент: — → ПАО Сбербанк"))
            var (manager, _) = try await Browser.signedIn(app, "petrov", "password-petrov")
            let seen = try await manager.get("/counterparties/\(branch)")
            #expect(seen.status == .ok && seen.html.contains("Филиал"))
            #expect(!seen.html.contains("ПАО Сбербанк"))
        }
    }
}
