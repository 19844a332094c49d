import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

enum DatabaseSetup {
    static func register(_ app: Application, config: AppConfig) throws {
        switch config.database {
        case .sqlite(let path):
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
        case .postgres(let url, let searchPath):
            var postgres = try SQLPostgresConfiguration(url: url)
            postgres.searchPath = searchPath
            app.databases.use(.postgres(configuration: postgres, maxConnectionsPerEventLoop: config.connectionsPerLoop), as: .psql)
        }
    }

    /// SQLite: WAL lets readers run beside the one writer; NORMAL sync is safe under WAL and
    /// much faster. A page cache of `cacheMB` keeps a large import's transaction from spilling
    /// pages to disk midway, and statement journals in memory spare a temporary file for every
    /// multi-row statement. Each event loop holds its own connection, so the per-connection
    /// pragmas are set on every one.
    /// Imports send their temporary data to files instead (`Importers.transaction`), so that a
    /// bulk load's memory does not grow with the data.
    /// `bulkLoad`: the database was taken by `withBulkLoad`, whose rollback journal stays, with
    /// FULL sync, the safe setting for that journal.
    static func tune(_ app: Application, cacheMB: Int = 32, bulkLoad: Bool = false) async throws {
        guard case .sqlite = app.sdelka.database else { return }
        let sql = app.db as! any SQLDatabase
        if !bulkLoad { try await sql.raw("PRAGMA journal_mode=WAL").run() }
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: loop)! as! any SQLDatabase
            try await db.raw(bulkLoad ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL").run()
            try await db.raw("PRAGMA temp_store=MEMORY").run()
            try await db.raw(SQLQueryString("PRAGMA cache_size=-\(unsafeRaw: String(cacheMB * 1024))")).run()
        }
    }

    /// SQLite, for `sdelka import`, before anything else in the process opens the database:
    /// runs `body` with the database out of WAL, in the rollback journal, when no other
    /// connection has it open (the switch fails otherwise, and `body` runs in WAL as an import
    /// in the server would); `body` learns which. Under WAL every page of a bulk load is
    /// written twice, into the log and again into the database at the checkpoint that ends the
    /// commit; the rollback journal writes new pages once. Meanwhile anyone else opening the
    /// database waits for `body` to end. WAL comes back afterwards whatever happens, and `tune`
    /// sets it too, so a process stopped midway leaves nothing for the next `serve` to mend.
    static func withBulkLoad<T>(_ app: Application, _ body: (_ tookDatabase: Bool) async throws -> T) async throws -> T {
        var took = false
        if case .sqlite = app.sdelka.database {
            let mode = try? await app.db.sql.raw("PRAGMA journal_mode=DELETE").first()?.decode(column: "journal_mode", as: String.self)
            took = mode == "delete"
        }
        do {
            let result = try await body(took)
            if took { try await app.db.sql.raw("PRAGMA journal_mode=WAL").run() }
            return result
        } catch {
            if took { try? await app.db.sql.raw("PRAGMA journal_mode=WAL").run() }
            throw error
        }
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
}
