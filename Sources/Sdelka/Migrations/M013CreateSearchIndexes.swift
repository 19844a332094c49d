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
        for (table, column) in Self.columns { try await Self.createIndex(table, column, on: sql) }
    }

    static func indexName(_ table: String, _ column: String) -> String { table + "_" + column + "_trgm" }

    static func createIndex(_ table: String, _ column: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE INDEX IF NOT EXISTS \(ident: indexName(table, column)) ON \(ident: table) USING gin (\(ident: column) public.gin_trgm_ops)").run()
    }

    static func trigramsAvailable(on sql: any SQLDatabase) async throws -> Bool {
        struct Found: Decodable { var found: Bool }
        let row = try await sql.raw("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS found").first(decoding: Found.self)
        return row?.found == true
    }

    func revert(on database: Database) async throws {
        let sql = database.sql
        guard sql.dialect.name != "sqlite" else { return }
        for (table, column) in Self.columns {
            try await sql.raw("DROP INDEX IF EXISTS \(ident: Self.indexName(table, column))").run()
        }
    }
}
