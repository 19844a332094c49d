import Foundation
import SdelkaCore
import SQLKit

/// The partner search documents (SQLite's FTS5 of M014, PostgreSQL's table of M022), from
/// code: bulk imports switch the triggers off in their transaction and rewrite the documents
/// of the partners they touched, many batches at a time (`BatchedCSVImport.searchDocumentsChanged`).
enum SearchDocuments {
    static let defaultHashSize = 1_048_576
    static let importHashSize = 8 * 1_048_576

    static func suspend(_ suspended: Bool, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "sqlite" else {
            // Local to the import's transaction: a failed import cannot leave it set.
            try await db.raw("SELECT set_config(\(bind: M022CreatePostgresPartnerSearch.suspendedSetting), \(bind: suspended ? "on" : "off"), true)").run()
            return
        }
        try await db.raw("UPDATE partner_search_sync SET suspended = \(literal: suspended ? 1 : 0)").run()
        // A larger in-memory term table while importing: FTS5 writes a segment each time it
        // fills, and merging many small segments was most of the index's cost.
        let hashSize = suspended ? importHashSize : defaultHashSize
        try await db.raw("INSERT INTO partner_search(partner_search, rank) VALUES ('hashsize', \(literal: hashSize))").run()
        // No merging while importing: every slice's merge read the tombstones of the segments
        // below it again, a third of a 300,000-person import; large imports merge once at
        // their end (`mergeAfterImport`).
        try await db.raw("INSERT INTO partner_search(partner_search, rank) VALUES ('automerge', \(literal: suspended ? 0 : defaultAutomerge))").run()
    }

    static let defaultAutomerge = 4

    /// SQLite: after an import that wrote at least `rebuildFrom` documents, FTS5's segments
    /// are merged into one, which also drops the tombstones of the documents rewritten.
    static func mergeAfterImport(documentsWritten: Int, on db: any SQLDatabase) async throws {
        guard db.dialect.name == "sqlite", documentsWritten >= rebuildFrom else { return }
        try await db.raw("INSERT INTO partner_search(partner_search) VALUES ('optimize')").run()
    }

    /// SQLite's imports write documents as they go; PostgreSQL's at the end, all at once.
    static func writesInSlices(_ db: any SQLDatabase) -> Bool { db.dialect.name == "sqlite" }

    /// Imports of at least this many partners' documents count as bulk: on PostgreSQL (when
    /// they are also a quarter of all) they rebuild the trigram index rather than maintain it,
    /// on SQLite they merge FTS5's segments at their end.
    static let rebuildFrom = 10_000

    /// PostgreSQL: writes the documents of the given partners at the end of an import. When
    /// they are many and a large share of all (a first load; contact persons for every
    /// partner), the trigram index is dropped and built again afterwards: maintaining it took
    /// 11 s for 100,000 documents, building it 4.6 s with room to sort in. Searches wait for
    /// the import's commit meanwhile, as they would for its rows.
    static func rewrite(partnerIDs: Set<UUID>, rebuildingFrom: Int = rebuildFrom, on db: any SQLDatabase) async throws {
        guard !partnerIDs.isEmpty else { return }
        struct Count: Decodable { var count: Int }
        var rebuild = false
        if partnerIDs.count >= rebuildingFrom, try await M013CreateSearchIndexes.trigramsAvailable(on: db) {
            let stored = try await db.raw("SELECT count(*) AS count FROM \(ident: M022CreatePostgresPartnerSearch.table)").first(decoding: Count.self)?.count ?? 0
            rebuild = partnerIDs.count * 4 >= stored
        }
        let index = M013CreateSearchIndexes.indexName(M022CreatePostgresPartnerSearch.table, "doc")
        if rebuild { try await db.raw("DROP INDEX IF EXISTS \(ident: index)").run() }
        for slice in Array(partnerIDs).chunks(of: 50_000) {
            try await db.raw("SELECT partner_search_refresh(\(bind: Array(slice)))").run()
        }
        guard rebuild else { return }
        try await db.raw("SET LOCAL maintenance_work_mem = '256MB'").run()
        try await M013CreateSearchIndexes.createIndex(M022CreatePostgresPartnerSearch.table, "doc", on: db)
    }

    /// SQLite: the statements that rewrite the documents of the given partners; `replacing:
    /// false` for partners created by the caller, which have no document to delete.
    static func statements(partnerIDs: [UUID], replacing: Bool, for db: any SQLDatabase) -> [SQLQueryString] {
        guard db.dialect.name == "sqlite", !partnerIDs.isEmpty else { return [] }
        var ids = JSONWriter(capacity: partnerIDs.count * 39 + 2)
        ids.raw("[")
        for (index, id) in Set(partnerIDs).enumerated() {
            if index > 0 { ids.raw(",") }
            ids.string(id.text)
        }
        ids.raw("]")
        // The id list drives the join (CROSS JOIN fixes the order): each partner is found by its
        // index instead of the list being probed for every partner.
        let partners: SQLQueryString = "json_each(\(bind: ids.text)) AS j CROSS JOIN partners p ON p.id = j.value"
        var statements: [SQLQueryString] = []
        if replacing {
            statements.append("DELETE FROM partner_search WHERE rowid IN (SELECT p.rowid FROM \(partners))")
        }
        // In rowid order: FTS5 writes its pending terms out whenever a rowid is lower than the last.
        statements.append("INSERT INTO partner_search(rowid, doc) \(M014CreatePartnerSearchDocument.documents(from: partners)) ORDER BY p.rowid")
        return statements
    }
}
