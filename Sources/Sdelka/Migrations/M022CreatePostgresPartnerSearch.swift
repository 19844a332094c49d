import Fluent
import SQLKit

/// PostgreSQL: one search document per partner, like SQLite's (M014) — its own text, its
/// contact lines and its contact persons — in one table with a pg_trgm index, together with
/// the partner's deletion mark and access group. A common word (a surname on 10,000 partners)
/// was a UNION of three trigram scans, de-duplicated and joined to every partner before it
/// could be counted; now it is one index scan, and a search with no other filter is counted
/// from the documents alone (`PartnerSearch`). Triggers keep the documents right on every
/// write path; bulk imports suspend them in their transaction and rewrite the documents of the
/// partners they touched at the end (`SearchDocuments.rewrite`). The trigram indexes of M013
/// that only partner search used go.
struct M022CreatePostgresPartnerSearch: AsyncMigration {
    static let table = "partner_search_documents"
    /// Set to `on` (for the transaction only) while an import rewrites the documents itself.
    static let suspendedSetting = "sdelka.partner_search_suspended"
    /// M013's trigram indexes that served partner search alone.
    static let replacedIndexes = [("partners", "search_text"), ("contact_details", "normalized")]

    /// `partner_search_refresh(ids uuid[])` writes the documents of those partners; the one
    /// place that says what a document holds on PostgreSQL.
    static let refreshFunction = """
        CREATE FUNCTION partner_search_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
          INSERT INTO partner_search_documents (partner_id, doc, deletion_mark, access_group_id)
          SELECT p.id, p.search_text || chr(1)
                 || coalesce((SELECT string_agg(d.normalized, chr(1)) FROM contact_details d WHERE d.partner_id = p.id), '') || chr(1)
                 || coalesce((SELECT string_agg(c.search_text, chr(1)) FROM contact_persons c WHERE c.partner_id = p.id), ''),
                 p.deletion_mark, p.access_group_id
            FROM partners p WHERE p.id = ANY(ids)
          ON CONFLICT (partner_id) DO UPDATE
            SET doc = excluded.doc, deletion_mark = excluded.deletion_mark, access_group_id = excluded.access_group_id
        $$
        """

    static let syncFunction = """
        CREATE FUNCTION partner_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('\(suspendedSetting)', true) = 'on' THEN RETURN NULL; END IF;
          IF TG_TABLE_NAME = 'partners' THEN
            PERFORM partner_search_refresh(ARRAY[NEW.id]);
          ELSIF TG_OP = 'INSERT' THEN
            PERFORM partner_search_refresh(ARRAY[NEW.partner_id]);
          ELSIF TG_OP = 'DELETE' THEN
            PERFORM partner_search_refresh(ARRAY[OLD.partner_id]);
          ELSE
            PERFORM partner_search_refresh(ARRAY[OLD.partner_id, NEW.partner_id]);
          END IF;
          RETURN NULL;
        END
        $$
        """

    /// Trigger name, its table, and the writes it follows.
    static let triggers = [
        ("partner_search_partners", "partners", "INSERT OR UPDATE OF search_text, deletion_mark, access_group_id"),
        ("partner_search_details", "contact_details", "INSERT OR DELETE OR UPDATE OF normalized, partner_id"),
        ("partner_search_persons", "contact_persons", "INSERT OR DELETE OR UPDATE OF search_text, partner_id"),
    ]

    func prepare(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("""
            CREATE TABLE partner_search_documents (
              partner_id uuid PRIMARY KEY REFERENCES partners (id) ON DELETE CASCADE,
              doc text NOT NULL,
              deletion_mark boolean NOT NULL,
              access_group_id uuid)
            """).run()
        try await sql.raw("\(unsafeRaw: Self.refreshFunction)").run()
        try await sql.raw("\(unsafeRaw: Self.syncFunction)").run()
        for (name, table, events) in Self.triggers {
            try await sql.raw("CREATE TRIGGER \(ident: name) AFTER \(unsafeRaw: events) ON \(ident: table) FOR EACH ROW EXECUTE FUNCTION partner_search_sync()").run()
        }
        try await sql.raw("SELECT partner_search_refresh(array(SELECT id FROM partners))").run()
        // Without pg_trgm (M013 warned) the documents are scanned instead.
        if try await M013CreateSearchIndexes.trigramsAvailable(on: sql) {
            try await M013CreateSearchIndexes.createIndex(Self.table, "doc", on: sql)
        }
        for (table, column) in Self.replacedIndexes {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: M013CreateSearchIndexes.indexName(table, column))").run()
        }
    }

    func revert(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name == "postgresql" else { return }
        if try await M013CreateSearchIndexes.trigramsAvailable(on: sql) {
            for (table, column) in Self.replacedIndexes { try await M013CreateSearchIndexes.createIndex(table, column, on: sql) }
        }
        for (name, table, _) in Self.triggers {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name) ON \(ident: table)").run()
        }
        try await sql.raw("DROP FUNCTION IF EXISTS partner_search_sync()").run()
        try await sql.raw("DROP FUNCTION IF EXISTS partner_search_refresh(uuid[])").run()
        try await sql.raw("DROP TABLE IF EXISTS partner_search_documents").run()
    }
}
