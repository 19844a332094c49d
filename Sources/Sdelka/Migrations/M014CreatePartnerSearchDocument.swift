import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// SQLite: one search document per partner — its own text, its contact lines and its contact
/// persons, separated by a character nobody types — in one contentless FTS5 trigram index whose
/// rowid is the partner's rowid. A match is then one index lookup that yields partners
/// directly, however many rows it finds (a common surname matches thousands). Triggers on the
/// three tables keep the document right on every write path. PostgreSQL uses the trigram
/// indexes of M013 instead.
struct M014CreatePartnerSearchDocument: AsyncMigration {
    static let table = "partner_search"

    /// The documents of the partners `source` yields as `p` (a FROM clause's content).
    static let document = """
        SELECT p.rowid, p.search_text || char(1)
            || coalesce((SELECT group_concat(d.normalized, char(1)) FROM contact_details d WHERE d.partner_id = p.id), '') || char(1)
            || coalesce((SELECT group_concat(c.search_text, char(1)) FROM contact_persons c WHERE c.partner_id = p.id), '')
          FROM
        """

    static func documents(from source: String) -> String { document + " " + source }

    static func documents(from source: SQLQueryString) -> SQLQueryString { "\(unsafeRaw: document) \(source)" }

    /// The document of the partner whose id is `partnerID` (an SQL expression such as `new.partner_id`).
    static func refresh(_ partnerID: String) -> String {
        """
        DELETE FROM partner_search WHERE rowid = (SELECT rowid FROM partners WHERE id = \(partnerID));
        INSERT INTO partner_search(rowid, doc) \(documents(from: "partners p WHERE p.id = " + partnerID));
        """
    }

    /// Bulk imports suspend the triggers inside their transaction and rewrite the documents of
    /// the partners they touched in large slices (`SearchDocuments`).
    static let active = "WHEN (SELECT suspended FROM partner_search_sync) = 0"

    static let triggers: [(name: String, sql: String)] = [
        ("partner_search_partner_insert", "AFTER INSERT ON partners \(active) BEGIN \(refresh("new.id")) END"),
        ("partner_search_partner_update", "AFTER UPDATE OF search_text ON partners \(active) BEGIN \(refresh("new.id")) END"),
        ("partner_search_partner_delete", "AFTER DELETE ON partners BEGIN DELETE FROM partner_search WHERE rowid = old.rowid; END"),
        ("partner_search_detail_insert", "AFTER INSERT ON contact_details \(active) BEGIN \(refresh("new.partner_id")) END"),
        ("partner_search_detail_update", "AFTER UPDATE OF normalized, partner_id ON contact_details \(active) BEGIN \(refresh("old.partner_id")) \(refresh("new.partner_id")) END"),
        ("partner_search_detail_delete", "AFTER DELETE ON contact_details \(active) BEGIN \(refresh("old.partner_id")) END"),
        ("partner_search_person_insert", "AFTER INSERT ON contact_persons \(active) BEGIN \(refresh("new.partner_id")) END"),
        ("partner_search_person_update", "AFTER UPDATE OF search_text, partner_id ON contact_persons \(active) BEGIN \(refresh("old.partner_id")) \(refresh("new.partner_id")) END"),
        ("partner_search_person_delete", "AFTER DELETE ON contact_persons \(active) BEGIN \(refresh("old.partner_id")) END"),
    ]

    func prepare(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("CREATE VIRTUAL TABLE partner_search USING fts5(doc, content='', contentless_delete=1, tokenize='trigram')").run()
        try await sql.raw("CREATE TABLE partner_search_sync (suspended INTEGER NOT NULL)").run()
        try await sql.raw("INSERT INTO partner_search_sync (suspended) VALUES (0)").run()
        for trigger in Self.triggers {
            try await sql.raw("CREATE TRIGGER \(ident: trigger.name) \(unsafeRaw: trigger.sql)").run()
        }
        try await sql.raw("INSERT INTO partner_search(rowid, doc) \(unsafeRaw: Self.documents(from: "partners p"))").run()
    }

    func revert(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "sqlite" else { return }
        for trigger in Self.triggers { try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger.name)").run() }
        try await sql.raw("DROP TABLE IF EXISTS partner_search").run()
        try await sql.raw("DROP TABLE IF EXISTS partner_search_sync").run()
    }
}
