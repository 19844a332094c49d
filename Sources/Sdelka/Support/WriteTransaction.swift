import Fluent
import SQLKit

extension Database {
    /// A transaction that writes.
    ///
    /// SQLite has one writer at a time and begins transactions deferred: one that has read
    /// cannot become the writer once another connection has committed since its read
    /// (`SQLITE_BUSY_SNAPSHOT`, "database is locked"), and requests failed whenever two users
    /// saved at once. So writers take turns first at `SQLiteWriteGate`, waiting without
    /// holding a connection or a thread (SQLiteNIO's busy handler spins on a thread of the
    /// pool that every connection shares), and then take the write lock with a first write
    /// that changes nothing, as `BEGIN IMMEDIATE` would, against writers of other processes.
    /// PostgreSQL needs neither. Inside a transaction it is that one.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await takingSQLiteWriteTurn {
            try await transaction { tx in
                try await tx.takeSQLiteWriteLock()
                return try await body(tx)
            }
        }
    }

    /// In a SQLite transaction, a write that changes nothing: the write lock is taken now,
    /// before any read, or the transaction waits for it.
    func takeSQLiteWriteLock() async throws {
        guard sql.dialect.name == "sqlite" else { return }
        try await sql.raw("UPDATE write_lock SET n = n WHERE 0 = 1").run()
    }

    /// Runs `body` in this process's turn to write to this SQLite file (directly for
    /// PostgreSQL, and inside a transaction, which already has the turn).
    func takingSQLiteWriteTurn<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard !inTransaction, sql.dialect.name == "sqlite" else { return try await body() }
        let file = try await sql.raw("PRAGMA database_list").all()
            .first { (try? $0.decode(column: "name", as: String.self)) == "main" }
            .flatMap { try? $0.decode(column: "file", as: String.self) } ?? ""
        await SQLiteWriteGate.shared.enter(file)
        do {
            let result = try await body()
            await SQLiteWriteGate.shared.leave(file)
            return result
        } catch {
            await SQLiteWriteGate.shared.leave(file)
            throw error
        }
    }
}

/// One writer at a time per SQLite file in this process, first come first served.
actor SQLiteWriteGate {
    static let shared = SQLiteWriteGate()
    /// Files being written, with those waiting their turn.
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    func enter(_ file: String) async {
        guard waiting[file] != nil else { waiting[file] = []; return }
        await withCheckedContinuation { waiting[file, default: []].append($0) }
    }

    func leave(_ file: String) {
        guard var queue = waiting[file], !queue.isEmpty else { waiting[file] = nil; return }
        let next = queue.removeFirst()
        waiting[file] = queue
        next.resume()
    }
}
