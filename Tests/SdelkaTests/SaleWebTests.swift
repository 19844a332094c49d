import Fluent
import Foundation
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

@Suite struct SaleWebTests {
    /// A manager records a sale from the partner's card, typing the product's SKU (no scripts),
    /// sees it in the list and the month on the card; a wrong line comes back with its error.
    @Test(arguments: TestDB.all)
    func aSaleIsRecordedFromThePartnerCardAndShowsOnIt(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let partner = try await admin.partner("Ромашка", group: retail)
            _ = try await admin.product("A-1", "Краска белая", price: dec("100.10"))
            _ = try await admin.createUser("petrov", role: "manager", groups: [retail])
            var (manager, _) = try await Browser.signedIn(app, "petrov", "password-petrov")

            let card = try await manager.get("/partners/\(partner)")
            #expect(card.html.contains("/sales/new?partnerId=\(partner)") && card.html.contains("Продаж пока нет."))
            let form = try await manager.get("/sales/new?partnerId=\(partner)")
            #expect(form.status == .ok && form.html.contains("value=\"Ромашка\""))
            let wrong = try await manager.submit("/sales", from: form, [
                "date": "2026-03-10", "partnerId": partner.uuidString, "lines.0.product": "Z-404", "lines.0.quantity": "2"])
            #expect(wrong.status == .unprocessableEntity && wrong.html.contains("Такой номенклатуры нет"), "\(wrong.html.prefix(300))")
            #expect(wrong.html.contains("value=\"Z-404\""), "what was typed is kept")
            let saved = try await manager.submit("/sales", from: form, [
                "date": "2026-03-10", "partnerId": partner.uuidString, "number": "Р-1",
                "lines.0.product": "A-1", "lines.0.quantity": "2,5", "lines.0.cost": "180"])
            #expect(saved.status == .seeOther, "\(saved.html.prefix(500))")
            let sale = try await admin.get("/api/v1/sales").decode(PageDTO<SaleDTO>.self).items[0]
            #expect(sale.number == "Р-1" && sale.revenue == dec("250.25") && sale.lines[0].price == dec("100.1"))

            let page = try await manager.get(saved.location ?? "")
            #expect(page.html.contains("Реализация № Р-1 от 10.03.2026"))
            #expect(page.html.contains("250,25\u{00A0}₽") && page.html.contains("70,25\u{00A0}₽"), "revenue and gross profit")
            let list = try await manager.get("/sales?partnerId=\(partner)")
            #expect(list.html.contains(">Р-1</a>") && list.html.contains("Ромашка"))
            let changed = try await manager.submit(saved.location ?? "", from: page, [
                "version": "1", "number": "Р-1", "date": "2026-03-10", "partnerId": partner.uuidString,
                "lines.0.productId": sale.lines[0].productId.uuidString, "lines.0.product": "A-1 — Краска белая",
                "lines.0.quantity": "-1", "lines.0.price": "100.1", "lines.0.amount": "", "lines.0.cost": "-72"])
            #expect(changed.status == .seeOther, "\(changed.html.components(separatedBy: "field-error").dropFirst().map { $0.prefix(120) })")
            let refund = try await admin.get("/api/v1/sales/\(sale.id)").decode(SaleDTO.self)
            #expect(refund.isReturn && refund.revenue == dec("-100.1") && refund.version == 2)
            let cardAfter = try await manager.get("/partners/\(partner)")
            #expect(cardAfter.html.contains("03.2026") && cardAfter.html.contains("<svg class=\"chart\""))
        }
    }

    /// Products and product groups in the web UI: a group inside a group, a product in it, and
    /// the rule that a group cannot be put inside itself.
    @Test(arguments: TestDB.all)
    func productsAndGroupsAreKeptInTheWebUI(db: TestDB) async throws {
        try await withSdelka(db) { app in
            _ = try await API.admin(app)
            var (admin, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let groupForm = try await admin.get("/product-groups/new")
            #expect(try await admin.submit("/product-groups", from: groupForm, ["name": "Краски"]).status == .seeOther)
            let paints = try await ProductGroup.query(on: app.db).first()!
            let child = try await admin.submit("/product-groups", from: groupForm, ["name": "Эмали", "parentId": paints.id!.uuidString])
            #expect(child.status == .seeOther)
            let enamels = try await ProductGroup.query(on: app.db).filter(\.$name == "Эмали").first()!
            #expect(enamels.parentID == paints.id)
            let edit = try await admin.get("/product-groups/\(paints.id!)")
            let loop = try await admin.submit("/product-groups/\(paints.id!)", from: edit, ["name": "Краски", "parentId": enamels.id!.uuidString, "version": "1"])
            #expect(loop.status == .unprocessableEntity && loop.html.contains("Группа не может входить в саму себя"))

            let productForm = try await admin.get("/products/new")
            #expect(productForm.html.contains(">Эмали</option>"))
            let bad = try await admin.submit("/products", from: productForm, ["sku": "E-1", "name": "Эмаль", "price": "дорого"])
            #expect(bad.status == .unprocessableEntity && bad.html.contains("Нужно число"))
            let saved = try await admin.submit("/products", from: productForm, ["sku": "E-1", "name": "Эмаль ПФ-115", "groupId": enamels.id!.uuidString,
                                                                               "unit": "кг", "price": "1 250,50"])
            #expect(saved.status == .seeOther)
            let list = try await admin.get("/products?groupId=\(enamels.id!)")
            #expect(list.html.contains("Эмаль ПФ-115") && list.html.contains("1\u{00A0}250,50\u{00A0}₽"))
        }
    }

    /// An agreement is made from its counterparty's page and listed there.
    @Test(arguments: TestDB.all)
    func anAgreementIsMadeFromTheCounterpartyPage(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            let counterparty = try await admin.post("/api/v1/counterparties", ["partnerId": partner.uuidString, "name": "ООО Ромашка"]).json()["id"] as! String
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let page = try await browser.get("/counterparties/\(counterparty)")
            #expect(page.html.contains("/agreements?counterpartyId=\(counterparty)") && page.html.contains("/contracts?counterpartyId=\(counterparty)"))
            let form = try await browser.get("/agreements/new?counterpartyId=\(counterparty)")
            #expect(form.html.contains("Новое соглашение"))
            let wrong = try await browser.submit("/agreements", from: form, ["counterpartyId": counterparty, "number": "С-1",
                                                                           "validFrom": "2026-02-01", "validTo": "2026-01-01"])
            #expect(wrong.status == .unprocessableEntity && wrong.html.contains("Не раньше начала действия"))
            let saved = try await browser.submit("/agreements", from: form, ["counterpartyId": counterparty, "number": "С-1",
                                                                           "priceType": "Оптовая", "validFrom": "2026-01-01"])
            #expect(saved.status == .seeOther)
            let list = try await browser.get("/agreements?counterpartyId=\(counterparty)")
            #expect(list.html.contains(">С-1</a>") && list.html.contains("Оптовая") && list.html.contains("01.01.2026 – …"))
        }
    }
}
