import Fluent
import Foundation
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
        try await SQLiteWriteGate.shared.enter(file)
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

/// One writer at a time per SQLite file in this process, first come first served. A writer
/// that has waited `patience` gives up with 503 rather than hang: a write nested on another
/// connection inside a write transaction would otherwise wait for itself for ever.
actor SQLiteWriteGate {
    static let shared = SQLiteWriteGate(patience: .seconds(120))
    let patience: Duration
    static let busy = APIError(status: .serviceUnavailable, code: "database_busy",
                               message: "Another change has held the database for two minutes; try again shortly.")
    private struct Waiter { var id: UUID; var resume: CheckedContinuation<Bool, Never> }
    /// Files being written, with those waiting their turn.
    private var waiting: [String: [Waiter]] = [:]

    init(patience: Duration) { self.patience = patience }

    func enter(_ file: String) async throws {
        guard waiting[file] != nil else { waiting[file] = []; return }
        let id = UUID()
        let admitted = await withCheckedContinuation { resume in
            waiting[file, default: []].append(Waiter(id: id, resume: resume))
            Task { [weak self, patience] in
                try? await Task.sleep(for: patience)
                await self?.expire(id, on: file)
            }
        }
        if !admitted { throw Self.busy }
    }

    func leave(_ file: String) {
        guard var queue = waiting[file], !queue.isEmpty else { waiting[file] = nil; return }
        let next = queue.removeFirst()
        waiting[file] = queue
        next.resume.resume(returning: true)
    }

    private func expire(_ id: UUID, on file: String) {
        guard let index = waiting[file]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiting[file]?.remove(at: index)
        waiter?.resume.resume(returning: false)
    }
}
