import SQLKit

/// The plain secondary indexes of a table that an import into it, while it is empty, drops at
/// its start and builds again at its end: built once from the loaded rows, an index costs a
/// sort; kept, it costs a search and an insert at a random place for every row (100,000
/// partners loaded in 4.4 s without their six indexes against 5.2 s with them).
///
/// Unique indexes and those behind keys stay: they enforce rules while the rows go in. The
/// definitions are read from the database's catalogue, so they are the migrations' own, and
/// both databases roll the drop back with the import's transaction. On PostgreSQL the drop
/// locks the table until the import commits; the table was empty, so only readers of nothing
/// wait.
struct DeferredIndexes: Sendable {
    /// `CREATE INDEX …` statements as the database reports them.
    private let definitions: [String]

    /// Drops the table's plain indexes if it has no rows; nil if it has some.
    static func dropIfEmpty(_ table: String, on sql: any SQLDatabase) async throws -> DeferredIndexes? {
        guard try await isEmpty(table, on: sql) else { return nil }
        struct Index: Decodable { var name: String; var definition: String }
        let query: SQLQueryString = sql.dialect.name == "sqlite"
            ? """
              SELECT l.name AS name, m.sql AS definition FROM pragma_index_list(\(bind: table)) AS l
              JOIN sqlite_master AS m ON m.name = l.name WHERE l.origin = 'c' AND NOT l."unique"
              """
            : """
              SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition FROM pg_index AS x
              JOIN pg_class AS c ON c.oid = x.indexrelid
              WHERE x.indrelid = to_regclass(\(bind: table)) AND NOT x.indisunique AND NOT x.indisprimary
              """
        let indexes = try await sql.raw(query).all(decoding: Index.self)
        for index in indexes { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
        return DeferredIndexes(definitions: indexes.map(\.definition))
    }

    func create(on sql: any SQLDatabase) async throws {
        // Text from the database's own catalogue, not from any input.
        for definition in definitions { try await sql.raw(SQLQueryString(definition)).run() }
    }

    /// Whether the table has no rows, without counting them.
    static func isEmpty(_ table: String, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column(SQLLiteral.numeric("1")).from(table).limit(1).all().isEmpty
    }
}
