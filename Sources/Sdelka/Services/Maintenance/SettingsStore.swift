import Fluent
import SQLKit
import SdelkaCore
import Vapor

/// Settings groups stored as JSON documents under a key. A group not yet saved reads as its
/// default, so a fresh database needs no seeding.
enum SettingsStore {
    enum Key: String { case features, classification, sales }

    static func features(on db: any Database) async throws -> FeatureSwitches {
        try await read(.features, on: db) ?? FeatureSwitches()
    }

    static func classification(on db: any Database) async throws -> ClassificationSettings {
        try await read(.classification, on: db) ?? .default
    }

    static func sales(on db: any Database) async throws -> SalesSettings {
        try await read(.sales, on: db) ?? SalesSettings()
    }

    static func read<T: Decodable>(_ key: Key, on db: any Database) async throws -> T? {
        guard let row = try await Setting.query(on: db).filter(\.$key == key.rawValue).first() else { return nil }
        return try JSONDecoder().decode(T.self, from: Data(row.value.utf8))
    }

    /// Saves a group and records the change in the audit log (object type `settings`,
    /// object id the group's key), in one transaction.
    static func write<T: Codable & Sendable>(_ value: T, default defaultValue: T, key: Key,
                                             by author: ChangeAuthor, on db: any Database) async throws {
        let text = String(decoding: try Audit.encoder.encode(value), as: UTF8.self)
        let defaultText = String(decoding: try Audit.encoder.encode(defaultValue), as: UTF8.self)
        try await db.writeTransaction { tx in
            // The row is made (with the defaults) by whoever comes first, and locked, so that two
            // admins saving at once neither collide on the key nor lose a version.
            try await tx.sql.insert(into: Setting.schema).columns("id", "version", "key", "value")
                .values(SQLBind(UUID()), SQLBind(1), SQLBind(key.rawValue), SQLBind(defaultText))
                .ignoringConflicts(with: "key").run()
            var select = tx.sql.select().column("value").from(Setting.schema).where("key", .equal, SQLBind(key.rawValue))
            if tx.sql.dialect.name != "sqlite" { select = select.for(.update) }
            let stored = try await select.first()?.decode(column: "value", as: String.self) ?? defaultText
            let before = try JSONDecoder().decode(T.self, from: Data(stored.utf8))
            try await tx.sql.update(Setting.schema).set("value", to: SQLBind(text))
                .set("version", to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
                .set("updated_at", to: SQLBind(Date()))
                .where("key", .equal, SQLBind(key.rawValue)).run()
            try await Audit.record(.update, objectType: "settings", objectID: key.rawValue,
                                   before: before, after: value, by: author, on: tx)
        }
    }
}

/// `GET/PUT /api/v1/settings/sales`: whether a sale linked to an open deal wins it.
struct SalesSettings: Content, Equatable {
    var autoWinDeals = true
}
