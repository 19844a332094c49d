import Testing
import Vapor
@testable import Sdelka

@Suite struct ContactPersonTests {
    struct Page: Decodable { var items: [ContactPersonDTO]; var total: Int }

    @Test(arguments: TestDB.all)
    func contactPersonsHaveRolesContactsAndAnEnd(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.post("/api/v1/partners", ["name": "Ромашка"]).json()["id"] as! String
            let buyer = try await admin.post("/api/v1/contact-roles", ["name": "Закупщик"]).json()["id"] as! String
            let signer = try await admin.post("/api/v1/contact-roles", ["name": "Подписант"]).json()["id"] as! String
            let created = try await admin.send(.POST, "/api/v1/contact-persons", json: JSONObject([
                "partnerId": partner, "name": "Пётр Сергеевич Ёлкин", "position": "Директор", "roles": [buyer, signer],
                "since": "2024-03-01", "contacts": [["type": "phone", "kind": "mobile", "value": "8 (916) 555-12-34"]]]))
            #expect(created.status == .created, "\(created.text)")
            let person = try created.decode(ContactPersonDTO.self)
            #expect(Set(person.roles.map(\.uuidString)) == Set([buyer, signer]))

            // The partner is found by its contact person's name (ё as е) and mobile phone.
            for q in ["елкин", "+79165551234"] {
                let found = try await admin.get("/api/v1/partners?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").json()
                #expect((found["items"] as? [[String: Any]])?.first?["name"] as? String == "Ромашка", "q=\(q)")
            }

            let bad = try await admin.patch("/api/v1/contact-persons/\(person.id)", ["until": "2024-01-01"])
            #expect(bad.errorFields["until"] == "must not be before since")
            #expect(try await admin.patch("/api/v1/contact-persons/\(person.id)", ["until": "2026-06-30"]).status == .ok)
            #expect(try await admin.get("/api/v1/contact-persons?partnerId=\(partner)").decode(Page.self).total == 0, "former contacts are hidden by default")
            let former = try await admin.get("/api/v1/contact-persons?partnerId=\(partner)&includeFormer=true").decode(Page.self)
            #expect(former.items.first?.until == "2026-06-30", "and kept with their history")
        }
    }

    @Test(arguments: TestDB.all)
    func contactPersonsOfHiddenPartnersAreHidden(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let hidden = try await admin.post("/api/v1/partners", ["name": "Чужой", "accessGroupId": wholesale]).json()["id"] as! String
            let id = try await admin.post("/api/v1/contact-persons", ["partnerId": hidden, "name": "Иван"]).json()["id"] as! String
            #expect(try await manager.get("/api/v1/contact-persons/\(id)").status == .notFound)
            #expect(try await manager.get("/api/v1/contact-persons").decode(Page.self).total == 0)
            #expect(try await manager.post("/api/v1/contact-persons", ["partnerId": hidden, "name": "Пётр"]).errorFields["partnerId"]
                    == "names a partner that does not exist")
        }
    }
}
