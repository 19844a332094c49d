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
    /// much faster. Each event loop holds its own connection, so the per-connection pragma is
    /// set on every one.
    static func tune(_ app: Application) async throws {
        guard case .sqlite = app.sdelka.database else { return }
        let sql = app.db as! any SQLDatabase
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: loop)! as! any SQLDatabase
            try await db.raw("PRAGMA synchronous=NORMAL").run()
        }
    }
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
}
