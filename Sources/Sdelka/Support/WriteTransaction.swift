import Fluent
import SQLKit

extension Database {
    /// A transaction that writes. SQLite begins transactions deferred: one that has read
    /// cannot become the writer once another connection has committed since its read
    /// (`SQLITE_BUSY_SNAPSHOT`, "database is locked"), and the request failed whenever two
    /// users saved at once. A first write that changes nothing takes the write lock before any
    /// read, as `BEGIN IMMEDIATE` would, so the transaction waits its turn in the busy handler
    /// instead. PostgreSQL needs nothing of the kind. Inside a transaction it is that one.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            if tx.sql.dialect.name == "sqlite" { try await tx.sql.raw("UPDATE write_lock SET n = n WHERE 0 = 1").run() }
            return try await body(tx)
        }
    }
}
