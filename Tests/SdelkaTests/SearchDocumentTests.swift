import Fluent
import SQLKit
import Testing
import Vapor
@testable import Sdelka

@Suite struct SearchDocumentTests {
    struct Page: Decodable { var items: [PartnerDTO]; var total: Int }

    /// PostgreSQL: an import that rewrites most documents drops the trigram index and builds it
    /// again; afterwards the index is there and the documents say what the partners hold.
    @Test(arguments: TestDB.all.filter { $0 == .postgres })
    func aBulkRewriteRebuildsTheTrigramIndex(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            var ids: Set<UUID> = []
            for (name, person) in [("Альфа", "Мельников Олег"), ("Бета", "Мельникова Ольга"), ("Гамма", "Орлов Иван")] {
                let partner = try await admin.post("/api/v1/partners", ["name": name]).decode(PartnerDTO.self)
                _ = try await admin.post("/api/v1/contact-persons", ["partnerId": partner.id.uuidString, "name": person])
                ids.insert(partner.id)
            }
            let rewritten = ids
            try await app.db.transaction { tx in
                try await SearchDocuments.suspend(true, on: tx.sql)
                try await tx.sql.raw("DELETE FROM partner_search_documents").run()
                try await SearchDocuments.rewrite(partnerIDs: rewritten, rebuildingFrom: 2, on: tx.sql)
                try await SearchDocuments.suspend(false, on: tx.sql)
            }
            struct Index: Decodable { var indexdef: String }
            let indexes = try await app.db.sql.raw("SELECT indexdef FROM pg_indexes WHERE tablename = 'partner_search_documents' AND schemaname = current_schema()")
                .all(decoding: Index.self).map(\.indexdef)
            #expect(indexes.contains { $0.contains("gin_trgm_ops") }, "\(indexes)")
            let found = try await admin.get("/api/v1/partners?q=мельников").decode(Page.self)
            #expect(found.total == 2)
            #expect(found.items.map(\.name) == ["Альфа", "Бета"])
        }
    }
}
