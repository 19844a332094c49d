import Fluent
import SQLKit

extension Importers {
    /// Kinds that resolve every reference they write against rows read inside their own
    /// transaction or written by it (managers, regions, access groups and channels by name,
    /// partners, counterparties and products by code, parents once the partners are in, the
    /// documents' line keys), so that a foreign-key check in the database could never fail.
    static let resolvingEveryReference: Set<String> = ["partners", "counterparties", "contact-persons", "sales"]

    /// Runs an import of `kind` in one transaction.
    ///
    /// On SQLite the kinds above run it with foreign keys unchecked: the check is an index
    /// search per reference, and it took more than half of the database's time on 2,000,000
    /// sale lines (5.1 s against 2.2 for the lines, 3.4 against 1.3 for the documents). The
    /// references stay sound: in WAL mode a transaction that has read cannot write once
    /// another connection has committed since (`SQLITE_BUSY_SNAPSHOT`), so nothing the import
    /// resolved can change under it. The setting is per connection, so the transaction holds
    /// one connection and sets it back whatever happens.
    static func transaction<T: Sendable>(for kind: String, on db: any Database,
                                         _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard resolvingEveryReference.contains(kind), db.sql.dialect.name == "sqlite" else { return try await db.transaction(body) }
        return try await db.withConnection { connection in
            let sql = connection.sql
            let enforced = try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self) == 1
            guard enforced else { return try await connection.transaction(body) }
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            do {
                let result = try await connection.transaction(body)
                try await sql.raw("PRAGMA foreign_keys = ON").run()
                return result
            } catch {
                try? await sql.raw("PRAGMA foreign_keys = ON").run()
                throw error
            }
        }
    }
}
