import Fluent
import SQLKit

/// Substring search (`q`) through indexes instead of scanning every row:
/// - SQLite: FTS5 trigram indexes over the normalised search columns, kept in step with their
///   tables by triggers, so that every write path (API, forms, imports, merge) keeps them right;
/// - PostgreSQL: pg_trgm GIN indexes, which serve `LIKE '%…%'` directly.
struct M013CreateSearchIndexes: AsyncMigration {
    /// The searched columns: table, column.
    static let columns = [("partners", "search_text"), ("contact_details", "normalized"), ("contact_persons", "search_text")]

    static func ftsTable(_ table: String) -> String { table + "_fts" }

    func prepare(on database: Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "sqlite" {
            for (table, column) in Self.columns {
                let fts = Self.ftsTable(table)
                try await sql.raw("CREATE VIRTUAL TABLE \(ident: fts) USING fts5(\(ident: column), content=\(literal: table), content_rowid='rowid', tokenize='trigram')").run()
                try await sql.raw("""
                    CREATE TRIGGER \(ident: fts + "_insert") AFTER INSERT ON \(ident: table) BEGIN
                      INSERT INTO \(ident: fts)(rowid, \(ident: column)) VALUES (new.rowid, new.\(ident: column));
                    END
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER \(ident: fts + "_delete") AFTER DELETE ON \(ident: table) BEGIN
                      INSERT INTO \(ident: fts)(\(ident: fts), rowid, \(ident: column)) VALUES ('delete', old.rowid, old.\(ident: column));
                    END
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER \(ident: fts + "_update") AFTER UPDATE OF \(ident: column) ON \(ident: table) BEGIN
                      INSERT INTO \(ident: fts)(\(ident: fts), rowid, \(ident: column)) VALUES ('delete', old.rowid, old.\(ident: column));
                      INSERT INTO \(ident: fts)(rowid, \(ident: column)) VALUES (new.rowid, new.\(ident: column));
                    END
                    """).run()
                try await sql.raw("INSERT INTO \(ident: fts)(\(ident: fts)) VALUES ('rebuild')").run()
            }
        } else {
            // pg_trgm ships with PostgreSQL (contrib) and is a trusted extension; without it the
            // search still works, only by scanning.
            do {
                try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public").run()
            } catch {
                database.logger.warning("pg_trgm is not available; partner search will scan instead of using an index")
                return
            }
            for (table, column) in Self.columns {
                try await sql.raw("CREATE INDEX \(ident: table + "_" + column + "_trgm") ON \(ident: table) USING gin (\(ident: column) public.gin_trgm_ops)").run()
            }
        }
    }

    func revert(on database: Database) async throws {
        let sql = database.sql
        for (table, column) in Self.columns {
            if sql.dialect.name == "sqlite" {
                let fts = Self.ftsTable(table)
                for suffix in ["_insert", "_delete", "_update"] { try await sql.raw("DROP TRIGGER IF EXISTS \(ident: fts + suffix)").run() }
                try await sql.raw("DROP TABLE IF EXISTS \(ident: fts)").run()
            } else {
                try await sql.raw("DROP INDEX IF EXISTS \(ident: table + "_" + column + "_trgm")").run()
            }
        }
    }
}
