import Testing
import Vapor
@testable import Sdelka

@Suite struct PartnerLinkTests {
    @Test(arguments: TestDB.all)
    func linksNameBothDirectionsAndRefuseNonsense(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await admin.post("/api/v1/partner-link-kinds", ["name": "Головная компания", "reverseName": "Дочерняя компания"]).json()
            #expect(kind["reverseName"] as? String == "Дочерняя компания")
            let kindID = kind["id"] as! String
            #expect(try await admin.post("/api/v1/partner-link-kinds", ["name": "Партнёр"]).errorFields == ["reverseName": "is required"])
            let parent = try await admin.post("/api/v1/partners", ["name": "Холдинг Альфа"]).decode(PartnerDTO.self)
            let child = try await admin.post("/api/v1/partners", ["name": "Альфа-Юг"]).decode(PartnerDTO.self)
            let created = try await admin.post("/api/v1/partner-links", ["partnerId": parent.id.uuidString, "linkedPartnerId": child.id.uuidString, "kindId": kindID])
            #expect(created.status == .created, "\(created.text)")

            for side in [parent.id, child.id] {
                let links = try await admin.get("/api/v1/partner-links?partnerId=\(side)").json()["items"] as? [[String: Any]]
                #expect(links?.count == 1, "a link is listed from both partners")
            }
            let again = try await admin.post("/api/v1/partner-links", ["partnerId": parent.id.uuidString, "linkedPartnerId": child.id.uuidString, "kindId": kindID])
            #expect(again.errorFields == ["linkedPartnerId": "is already linked to this partner by this kind"])
            let toSelf = try await admin.post("/api/v1/partner-links", ["partnerId": parent.id.uuidString, "linkedPartnerId": parent.id.uuidString, "kindId": kindID])
            #expect(toSelf.errorFields == ["linkedPartnerId": "must be another partner"])
            let noKind = try await admin.post("/api/v1/partner-links", ["partnerId": parent.id.uuidString, "linkedPartnerId": child.id.uuidString])
            #expect(noKind.errorFields == ["kindId": "is required"])
        }
    }

    @Test(arguments: TestDB.all)
    func aLinkToAHiddenPartnerIsHidden(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            let (manager, _) = try await admin.createUser("petrov", role: "manager", groups: [retail])
            let own = try await admin.post("/api/v1/partners", ["name": "Ромашка", "accessGroupId": retail]).decode(PartnerDTO.self)
            let hidden = try await admin.post("/api/v1/partners", ["name": "Лютик", "accessGroupId": wholesale]).decode(PartnerDTO.self)
            let kind = try await admin.post("/api/v1/partner-link-kinds", ["name": "Поставщик", "reverseName": "Покупатель"]).json()["id"] as! String
            let link = try await admin.post("/api/v1/partner-links", ["partnerId": own.id.uuidString, "linkedPartnerId": hidden.id.uuidString, "kindId": kind]).json()["id"] as! String

            #expect(try await manager.get("/api/v1/partner-links?partnerId=\(own.id)").json()["total"] as? Int == 0)
            #expect(try await manager.get("/api/v1/partner-links/\(link)").status == .notFound)
            let attempt = try await manager.post("/api/v1/partner-links", ["partnerId": own.id.uuidString, "linkedPartnerId": hidden.id.uuidString, "kindId": kind])
            #expect(attempt.errorFields == ["linkedPartnerId": "names a partner that does not exist"])
        }
    }
}
