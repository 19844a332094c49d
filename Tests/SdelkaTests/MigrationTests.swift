import Fluent
import SQLKit
import Testing
import Vapor
@testable import Sdelka

@Suite struct MigrationTests {
    /// Every migration has a real `revert`: the schema goes away completely and comes back.
    @Test(arguments: TestDB.all)
    func migrationsRevertAndReapply(db: TestDB) async throws {
        try await withSdelka(db) { app in
            try await app.autoRevert()
            let remaining = try await tables(app).subtracting(["_fluent_migrations"])
            #expect(remaining.isEmpty, "left behind: \(remaining.sorted())")
            try await app.autoMigrate()
            #expect(try await tables(app).isSuperset(of: ["users", "user_tokens", "access_groups", "audit_log", "settings"]))
        }
    }

    private func tables(_ app: Application) async throws -> Set<String> {
        struct Name: Decodable { var name: String }
        switch app.sdelka.database {
        case .sqlite:
            let rows = try await app.db.sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .all(decoding: Name.self)
            return Set(rows.map(\.name))
        case .postgres:
            let rows = try await app.db.sql.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()")
                .all(decoding: Name.self)
            return Set(rows.map(\.name))
        }
    }
}
