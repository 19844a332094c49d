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
    static func tune(_ app: Application, cacheMB: Int = 32) async throws {
        guard case .sqlite = app.sdelka.database else { return }
        let sql = app.db as! any SQLDatabase
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: loop)! as! any SQLDatabase
            try await db.raw("PRAGMA synchronous=NORMAL").run()
            try await db.raw("PRAGMA temp_store=MEMORY").run()
            try await db.raw(SQLQueryString("PRAGMA cache_size=-\(unsafeRaw: String(cacheMB * 1024))")).run()
        }
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
}
