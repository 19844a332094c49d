import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

@Suite struct WebTests {
    @Test func loginPageIsRussianByDefaultAndEnglishOnRequest() async throws {
        try await withSdelka(.sqlite) { app in
            var browser = Browser(app: app)
            let ru = try await browser.get("/login")
            #expect(ru.status == .ok)
            #expect(ru.html.contains("<html lang=\"ru\">"))
            #expect(ru.html.contains("Войти"))
            #expect(Browser.csrf(in: ru.html)?.isEmpty == false)
            let en = try await browser.get("/login?lang=en")
            #expect(en.html.contains("Sign in"))
            let anonymous = try await browser.get("/users")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.location == "/login?next=/users")
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await withSdelka(.sqlite) { app in
            var stranger = Browser(app: app)
            let noToken = try await stranger.send(.POST, "/login", form: ["login": "admin", "password": adminPassword])
            #expect(noToken.status == .forbidden)
            #expect(stranger.cookies["sdelka_session"] == nil)

            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let forged = try await browser.send(.POST, "/business-regions", form: ["name": "Подделка", "_csrf": "guess"])
            #expect(forged.status == .forbidden)
            #expect(try await BusinessRegion.query(on: app.db).count() == 0, "nothing was created")
        }
    }

    @Test func anAdminCreatesARegionAndSeesTheConfirmation() async throws {
        try await withSdelka(.sqlite) { app in
            var (browser, desktop) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(desktop.html.contains("Рабочий стол"))
            let form = try await browser.get("/business-regions/new")
            let bad = try await browser.submit("/business-regions", from: form, ["name": "  "])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("Поле не может быть пустым"), "inline error in Russian")
            let saved = try await browser.submit("/business-regions", from: form, ["name": "Дальний Восток", "comment": "Владивосток"])
            #expect(saved.status == .seeOther)
            let list = try await browser.get(saved.location ?? "/business-regions")
            #expect(list.html.contains("«Дальний Восток» создан"))
            #expect(list.html.contains("Дальний Восток"))
            let again = try await browser.get("/business-regions")
            #expect(!again.html.contains("«Дальний Восток» создан"), "the confirmation shows once: \(browser.cookies)")
        }
    }

    @Test func menusHideSwitchedOffPartsAndPartsOutsideTheRole() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            _ = try await admin.createUser("petrov", role: "manager")
            var (managerBrowser, managerDesktop) = try await Browser.signedIn(app, "petrov", "password-petrov")
            #expect(managerDesktop.html.contains("href=\"/business-regions\""))
            #expect(!managerDesktop.html.contains("href=\"/users\""))
            #expect(try await managerBrowser.get("/users").status == .forbidden)

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["businessRegions"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            let after = try await managerBrowser.get("/")
            #expect(!after.html.contains("href=\"/business-regions\""))
            let page = try await managerBrowser.get("/business-regions")
            #expect(page.status == .notFound)
            #expect(page.html.contains("выключена в настройках"))
        }
    }

    @Test func eachUserChoosesTheirLanguage() async throws {
        try await withSdelka(.sqlite) { app in
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let profile = try await browser.get("/profile")
            let saved = try await browser.submit("/profile", from: profile, ["name": "Administrator", "email": "", "language": "en",
                                                                            "version": "1"])
            #expect(saved.status == .seeOther)
            let desktop = try await browser.get("/")
            #expect(desktop.html.contains("<html lang=\"en\">"))
            #expect(desktop.html.contains("Desktop"))
            #expect(desktop.html.contains("Change log"))
        }
    }

    @Test func everyPageRendersForAnAdmin() async throws {
        try await withSdelka(.sqlite) { app in
            try await DemoData.fillIfEmpty(app)
            #expect(try await Partner.query(on: app.db).count() == 240)
            let counterparties = try await Counterparty.query(on: app.db).all()
            #expect(counterparties.allSatisfy { c in
                c.inn.map { RegistrationNumbers.checkINN($0, legalForm: c.legalForm) == nil } ?? true
            }, "every demo INN is valid")
            #expect(try await PrimaryInterest.query(on: app.db).count() == 240)
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            let user = try #require(try await User.query(on: app.db).first())
            let region = try #require(try await BusinessRegion.query(on: app.db).first())
            let segments = try await Segment.query(on: app.db).sort(\.$name).all()
            #expect(segments.map(\.kind.rawValue).sorted() == ["dynamic", "dynamic", "manual", "manual", "periodic"])
            let partner = try #require(try await Partner.query(on: app.db).first())
            var paths = ["/reports", "/reports/deals?groupBy=kind&groupBy=status", "/reports/forecast", "/reports/marketing-events",
                         "/reports/segments-compare", "/segments", "/segments/new", "/partners/\(partner.id!)/dossier",
                         "/interactions", "/interactions?reviewed=false", "/interactions/caller?phone=84951234567",
                         "/interactions/new?type=meeting", "/interactions/new?type=sms", "/interactions/new?type=email", "/interactions/unknown-senders"]
            #expect(try await Interaction.query(on: app.db).count() == 330,
                    "four for every third of the 240 demo partners, two letters from strangers, a planned contact for each of the 8 open demo claims")
            let claims = try await Claim.query(on: app.db).all()
            #expect(claims.count == 24 && Set(claims.map(\.status)).count == 4, "two dozen demo claims in every status")
            paths += ["/claims", "/claims?state=open", "/claims/\(claims[0].id!)", "/claims/new", "/reports/claims",
                      "/reports/claims?groupBy=product", "/reports/claims?groupBy=guilty", "/claim-causes", "/partners/\(claims[0].partnerID)",
                      "/partners/\(claims[0].partnerID)/dossier"]
            if let sale = try await Sale.query(on: app.db).first() { paths.append("/sales/\(sale.id!)") }
            #expect(try await UnknownSenders.list(page: PageRequest(page: 1, per: 50), scope: .all, userID: UUID(), on: app.db).items.map(\.address)
                    == ["latypov@agrosnab-kzn.ru", "o.belova@tehnoprom-ural.ru"], "the latest registered first")
            if let interaction = try await Interaction.query(on: app.db).first() { paths.append("/interactions/\(interaction.id!)") }
            for segment in segments { paths += ["/segments/\(segment.id!)", "/segments/\(segment.id!)/members"] }
            for path in paths {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                #expect(!page.html.contains("#("), "\(path) has an unrendered Leaf tag")
            }
            for path in ["/", "/users", "/users/new", "/users/\(user.id!)", "/business-regions", "/business-regions/new",
                         "/business-regions/\(region.id!)", "/access-groups", "/settings", "/profile", "/audit",
                         "/audit?objectType=user&from=2026-01-01"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                #expect(!page.html.contains("#("), "\(path) has an unrendered Leaf tag")
            }
        }
    }
}
