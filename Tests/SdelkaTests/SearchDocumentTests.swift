import Fluent
import SQLKit
import Testing
import Vapor
@testable import Sdelka

@Suite struct SearchDocumentTests {
    struct Page: Decodable { var items: [PartnerDTO]; var total: Int }

    /// SQLite: an import writes its documents with FTS5's merging off and a large term table;
    /// afterwards both are back to what every other write uses, and the documents are found.
    @Test(arguments: TestDB.all.filter { $0 == .sqlite })
    func anImportPutsTheFullTextSettingsBack(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let file = "code,name\nP-1,Мельников и партнёры\nP-2,Орлов\n"
            #expect(try await admin.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv).status == .ok)
            let people = "partner_code,name\nP-2,Мельникова Ольга\n"
            #expect(try await admin.send(.POST, "/api/v1/import/contact-persons", raw: people, contentType: .csv).status == .ok)
            struct Setting: Decodable { var k: String; var v: Int }
            let settings = try await app.db.sql.raw("SELECT k, v FROM partner_search_config WHERE k IN ('automerge', 'hashsize')")
                .all(decoding: Setting.self)
            #expect(Dictionary(uniqueKeysWithValues: settings.map { ($0.k, $0.v) })
                    == ["automerge": SearchDocuments.defaultAutomerge, "hashsize": SearchDocuments.defaultHashSize])
            let found = try await admin.get("/api/v1/partners?q=мельников").decode(Page.self)
            #expect(found.items.map(\.name) == ["Мельников и партнёры", "Орлов"])
        }
    }

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
