import Foundation
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// Merge and purge know every table that points at what they move or delete: the registry is
/// held to the foreign keys of the migrated database, and a merge of a partner with history of
/// every kind is followed by a purge that succeeds.
@Suite struct ReferenceRegistryTests {
    struct ForeignKey: Hashable, CustomStringConvertible {
        var table: String, column: String, target: String, cascades: Bool
        var description: String { "\(table).\(column) → \(target)" }
    }

    static func foreignKeys(_ app: Application, _ db: TestDB) async throws -> [ForeignKey] {
        struct Row: Decodable { var tbl: String; var col: String; var target: String; var on_delete: String }
        let rows: [Row]
        switch db {
        case .sqlite:
            rows = try await app.db.sql.raw("""
                SELECT m.name AS tbl, p."from" AS col, p."table" AS target, p.on_delete AS on_delete
                FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table'
                """).all(decoding: Row.self)
        case .postgres:
            rows = try await app.db.sql.raw("""
                SELECT k.table_name AS tbl, k.column_name AS col, t.table_name AS target, r.delete_rule AS on_delete
                FROM information_schema.referential_constraints r
                JOIN information_schema.key_column_usage k ON k.constraint_name = r.constraint_name AND k.constraint_schema = r.constraint_schema
                JOIN information_schema.constraint_column_usage t ON t.constraint_name = r.constraint_name AND t.constraint_schema = r.constraint_schema
                WHERE r.constraint_schema = current_schema()
                """).all(decoding: Row.self)
        }
        return rows.map { ForeignKey(table: $0.tbl, column: $0.col, target: $0.target, cascades: $0.on_delete.uppercased() == "CASCADE") }
    }

    @Test(arguments: TestDB.all)
    func everyForeignKeyToAPurgeableObjectIsInTheRegistry(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let keys = try await Self.foreignKeys(app, db)
            #expect(keys.count > 60, "the catalogue was read: \(keys.count) foreign keys")
            for kind in ReferenceRegistry.kinds {
                let listed = Set(kind.references.map { "\($0.table).\($0.column)" })
                let owned = Set(ReferenceRegistry.owned.filter { $0.table == kind.table }.map { "\($0.rows).\($0.column)" })
                for key in keys where key.target == kind.table && !key.cascades {
                    #expect(listed.contains("\(key.table).\(key.column)") || owned.contains("\(key.table).\(key.column)"),
                            "\(key) is missing from ReferenceRegistry's \(kind.table): merge and purge would not know it")
                }
            }
            // A merge repoints every column that names a partner, or rebuilds what derives from it.
            let moved = Set(ReferenceRegistry.partnerMergeColumns.map { "\($0.table).\($0.column)" })
            for key in keys where key.target == "partners" {
                let name = "\(key.table).\(key.column)"
                #expect(moved.contains(name) || ReferenceRegistry.rebuiltOnMerge.contains(name), "a merge leaves \(key) behind")
            }
        }
    }

    @Test(arguments: TestDB.all)
    func mergeMovesAllHistoryThenPurgeDeletesTheMergedPartner(db: TestDB) async throws {
        try await withSdelka(db) { app in
            // setup
            let admin = try await API.admin(app)
            let adminID = try await admin.get("/api/v1/me").json()["id"] as! String
            let survivor = try await admin.partner("Ромашка"), twin = try await admin.partner("Ромашка (дубль)")
            let other = try await admin.partner("Лютик")
            let person = try await admin.post("/api/v1/contact-persons", ["partnerId": twin.uuidString, "name": "Иван"]).json()["id"] as! String
            let meeting = try await admin.send(.POST, "/api/v1/interactions", json: JSONObject([
                "type": "meeting", "topic": "Встреча", "description": "Обсудили", "start": "2026-11-20T10:00:00Z",
                "participants": [JSONObject(["contactPersonId": person]), JSONObject(["partnerId": other.uuidString])]])).decode(InteractionDTO.self)
            let call = try await admin.send(.POST, "/api/v1/interactions", json: JSONObject([
                "type": "call", "topic": "Звонок", "description": "Коротко", "incoming": true,
                "participants": [JSONObject(["partnerId": other.uuidString]), JSONObject(["partnerId": twin.uuidString])]])).decode(InteractionDTO.self)
            let kind = try await admin.dealKind("Поставка", type: "process", stages: ["Квалификация", "Договор"], checklists: [
                [JSONObject(["text": "Выявить потребность", "required": true])]])
            let deal = try await admin.deal("Линия", partner: twin, kind: kind, ["responsibleId": adminID])
            let product = try await admin.product("A-1", "Болт", price: 100)
            #expect(try await admin.sale("S-1", date: "2026-11-02", partner: twin, lines: [(product, 2, nil, nil, nil)]).status == .created)
            let linkKind = try await admin.post("/api/v1/partner-link-kinds", ["name": "Головная", "reverseName": "Дочерняя"]).json()["id"] as! String
            let link = try await admin.post("/api/v1/partner-links", ["partnerId": twin.uuidString, "linkedPartnerId": other.uuidString,
                                                                      "kindId": linkKind]).json()["id"] as! String
            let segment = try await admin.send(.POST, "/api/v1/segments", json: JSONObject(["name": "Ключевые", "kind": "manual"])).json()["id"] as! String
            #expect(try await admin.send(.POST, "/api/v1/segments/\(segment)/members", json: JSONObject(["partnerIds": [twin.uuidString]])).status == .ok)

            // MUT
            let reply = try await admin.post("/api/v1/partners/\(twin)/merge", ["intoId": survivor.uuidString])
            let purge = try await admin.post("/api/v1/purge")

            // validate
            #expect(reply.status == .ok, "\(reply.text)")
            let moved = try reply.json()["moved"] as? [String: Int] ?? [:]
            #expect(moved["interactions.partner_id"] == 1 && moved["interaction_participants.partner_id"] == 2,
                    "the meeting (through its contact person) and the call's participant: \(moved)")
            #expect(moved["deals.partner_id"] == 1 && moved["sales.partner_id"] == 1 && moved["partner_links.partner_id"] == 1)
            #expect(try await admin.get("/api/v1/interactions/\(meeting.id)").decode(InteractionDTO.self).partnerId == survivor)
            #expect(try await admin.get("/api/v1/interactions/\(call.id)").decode(InteractionDTO.self).participants.map(\.partnerId) == [other, survivor])
            #expect(try await admin.get("/api/v1/interactions?partnerId=\(survivor)").json()["total"] as? Int == 2)
            #expect(try await admin.get("/api/v1/deals/\(deal.id)").decode(DealDTO.self).partnerId == survivor)
            #expect(try await admin.get("/api/v1/tasks?dealId=\(deal.id)").json()["total"] as? Int == 1, "the deal's task came along")
            #expect(try await admin.monthly(survivor).map(\.revenue) == [200], "the sales and their totals moved")
            #expect(try await admin.get("/api/v1/partner-links/\(link)").json()["partnerId"] as? String == survivor.uuidString)
            let members = try await admin.get("/api/v1/segments/\(segment)/members").decode(PageDTO<SegmentMemberDTO>.self).items.map(\.partnerId)
            #expect(members == [survivor])

            #expect(purge.status == .ok, "\(purge.text)")
            let purged = try purge.decode(Purge.Report.self).purged
            #expect(purged.map(\.id) == [twin], "the merged partner is purged: nothing refers to it any more")
            #expect(try await admin.get("/api/v1/partners/\(twin)").status == .notFound)
            let log = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(twin)").json()["items"] as? [[String: Any]] ?? []
            #expect(Set(log.compactMap { $0["action"] as? String }).isSuperset(of: ["merge", "purge"]))
            let survivorLog = try await admin.get("/api/v1/audit?objectType=partner&objectId=\(survivor)").json()["items"] as? [[String: Any]] ?? []
            #expect(survivorLog.contains { $0["action"] as? String == "merge" })
        }
    }

    @Test(arguments: TestDB.all)
    func markedInteractionsArePurgedAndAReferredOneIsKeptWithTheReason(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            func create(_ body: [String: any Encodable & Sendable]) async throws -> InteractionDTO {
                try await admin.send(.POST, "/api/v1/interactions", json: JSONObject(body)).decode(InteractionDTO.self)
            }
            let first = try await create(["type": "call", "topic": "Первый", "description": "x", "incoming": true,
                                          "participants": [JSONObject(["partnerId": partner.uuidString])]])
            let reply = try await create(["type": "call", "topic": "Ответ", "description": "y", "incoming": false, "basisId": first.id.uuidString,
                                          "participants": [JSONObject(["partnerId": partner.uuidString])]])
            #expect(try await admin.delete("/api/v1/interactions/\(first.id)").status == .ok)

            let kept = try await admin.post("/api/v1/purge").decode(Purge.Report.self)
            #expect(kept.purged.isEmpty)
            #expect(kept.kept.map(\.id) == [first.id] && kept.kept.first?.referencedBy == ["interaction"], "the reply still names it")

            #expect(try await admin.delete("/api/v1/interactions/\(reply.id)").status == .ok)
            #expect(try await admin.delete("/api/v1/partners/\(partner)").status == .ok)
            let report = try await admin.post("/api/v1/purge")
            #expect(report.status == .ok, "\(report.text)")
            #expect(Set(try report.decode(Purge.Report.self).purged.map(\.id)) == [first.id, reply.id, partner],
                    "the reply, then what it named, then the partner, in one purge")
        }
    }
}
