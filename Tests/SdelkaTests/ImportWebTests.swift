import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// The import and export page: the same importer as the API, its report in Russian.
@Suite struct ImportWebTests {
    @Test(arguments: TestDB.all)
    func aFileIsUploadedRejectedLineByLineThenImportedAndExportedBack(db: TestDB) async throws {
        try await withSdelka(db) { app in
            var (browser, desktop) = try await Browser.signedIn(app, "admin", adminPassword)
            #expect(desktop.html.contains("href=\"/import\""), "the navigation leads to the page")
            let page = try await browser.get("/import")
            #expect(page.status == .ok && page.html.contains("Загрузка из CSV") && page.html.contains("code,partner_code,name,legal_form,inn,kpp,ogrn"))

            let header = PartnerImport.columns.joined(separator: ",")
            let bad = try await browser.upload("/import", from: page, ["kind": "partners"], file: ("file", "partners.csv", """
                \(header)
                P-1,ООО «Ромашка»,,company,true,false,false,,,,,
                P-1,ООО «Василёк»,,company,да,false,false,,,,,
                P-3,,,robot,true,false,false,,,,,

                """))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("Ничего не загружено: в файле 3 ошибок"))
            #expect(bad.html.contains("встречается в файле дважды (впервые в строке 2)"))
            #expect(bad.html.contains("<td data-label=\"Строка\">4</td>") && bad.html.contains("<code>kind</code>"))
            #expect(try await Partner.query(on: app.db).count() == 0, "an all-or-nothing import keeps nothing")

            let partial = try await browser.upload("/import", from: bad, ["kind": "partners", "partial": "on"], file: ("file", "partners.csv", """
                \(header)
                P-1,ООО «Ромашка»,,company,true,false,false,,,,,
                P-3,,,robot,true,false,false,,,,,

                """))
            #expect(partial.status == .ok)
            #expect(partial.html.contains("Загружено: создано 1, обновлено 0.") && partial.html.contains("Пропущены строки с ошибками: 2."))
            #expect(partial.html.contains("name=\"partial\" value=\"on\" checked"), "the choice is kept")

            let empty = try await browser.upload("/import", from: partial, ["kind": "counterparties"], file: ("file", "empty.csv", ""))
            #expect(empty.status == .unprocessableEntity && empty.html.contains("Выберите файл"))

            let export = try await browser.get("/export/partners.csv")
            #expect(export.status == .ok)
            #expect(export.html.hasPrefix(header + "\r\n") || export.html.hasPrefix(header + "\n"))
            #expect(export.html.contains("P-1,ООО «Ромашка»"))
            let list = try await browser.get("/partners?q=%D0%B2%D0%B0%D1%81%D0%B8%D0%BB%D1%91%D0%BA&sort=code")
            #expect(list.html.contains("href=\"/export/partners.csv?q=%D0%B2%D0%B0%D1%81%D0%B8%D0%BB%D1%91%D0%BA\""), "the list exports what it shows")
            let filtered = try await browser.get("/export/partners.csv?q=%D0%B2%D0%B0%D1%81%D0%B8%D0%BB%D1%91%D0%BA")
            #expect(filtered.status == .ok && !filtered.html.contains("P-1"))
        }
    }

    @Test func aViewerNeitherSeesNorUsesThePage() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            _ = try await admin.post("/api/v1/users", ["login": "viewer", "name": "Зритель", "password": "viewer-password-1", "role": "viewer"])
            var (browser, desktop) = try await Browser.signedIn(app, "viewer", "viewer-password-1")
            #expect(!desktop.html.contains("href=\"/import\""))
            #expect(try await browser.get("/import").status == .forbidden)
        }
    }
}
