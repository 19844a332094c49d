import Fluent
import SQLKit

/// An empty table whose only use is a write that changes nothing, so that a SQLite transaction
/// takes the write lock before it reads (`Database.writeTransaction`).
struct M023CreateWriteLock: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.sql.raw("CREATE TABLE write_lock (n INTEGER)").run()
    }

    func revert(on database: Database) async throws {
        try await database.sql.raw("DROP TABLE write_lock").run()
    }
}
