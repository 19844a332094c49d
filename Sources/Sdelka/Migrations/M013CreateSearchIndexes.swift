import Fluent
import SQLKit

/// PostgreSQL: pg_trgm GIN indexes over the normalised search columns, which serve
/// `LIKE '%…%'` directly. (SQLite searches partners through the FTS5 documents of M014.)
struct M013CreateSearchIndexes: AsyncMigration {
    /// The searched columns: table, column.
    static let columns = [("partners", "search_text"), ("contact_details", "normalized"), ("contact_persons", "search_text")]

    func prepare(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name != "sqlite" else { return }
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

    func revert(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name != "sqlite" else { return }
        for (table, column) in Self.columns {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: table + "_" + column + "_trgm")").run()
        }
    }
}
