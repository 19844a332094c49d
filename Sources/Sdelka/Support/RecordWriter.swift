import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// The one path by which a `RecordModel` is created, changed, marked for deletion or restored:
/// each write checks `version`, bumps it, and lands in the audit log in the same transaction.
struct RecordWriter<M: RecordModel>: Sendable {
    let db: any Database
    let author: ChangeAuthor
    /// The snapshot the audit log compares: the model's API representation.
    let snapshot: @Sendable (M) throws -> any Encodable & Sendable

    func create(_ model: M, extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        model.version = 1
        model.deletionMark = false
        try await db.writeTransaction { tx in
            try await model.create(on: tx)
            try await extra?(tx)
            try await Audit.record(.create, objectType: M.objectType, objectID: model.requireID().uuidString,
                                   before: nil as AnyEncodable?, after: AnyEncodable(snapshot(model)),
                                   by: author, on: tx)
        }
    }

    /// Applies `change` to the model if `expectedVersion` (when given) is still current.
    /// `before` is the snapshot taken before the caller changed anything in memory.
    func update(_ model: M, before: any Encodable & Sendable, expectedVersion: Int?,
                action: AuditEntry.Action = .update,
                extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        let current = model.version
        if let expectedVersion, expectedVersion != current {
            throw VersionConflict(current: current)
        }
        try await db.writeTransaction { tx in
            // Compare-and-set on the version row: of two concurrent writers only one wins.
            let row = try await tx.sql.update(M.schema)
                .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
                .where(SQLIdentifier("id"), .equal, SQLBind(try model.requireID()))
                .where(SQLIdentifier("version"), .equal, SQLBind(current))
                .returning(SQLIdentifier("version"))
                .first()
            guard row != nil else {
                let fresh = try await M.find(model.requireID(), on: tx)
                throw VersionConflict(current: fresh?.version ?? current)
            }
            model.version = current + 1
            try await model.update(on: tx)
            try await extra?(tx)
            try await Audit.record(action, objectType: M.objectType, objectID: model.requireID().uuidString,
                                   before: AnyEncodable(before), after: AnyEncodable(snapshot(model)),
                                   by: author, on: tx)
        }
    }

    func markDeleted(_ model: M, expectedVersion: Int? = nil,
                     extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        try await setMark(model, to: true, action: .markDeleted, expectedVersion: expectedVersion, extra: extra)
    }

    func restore(_ model: M, expectedVersion: Int? = nil,
                 extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        try await setMark(model, to: false, action: .restore, expectedVersion: expectedVersion, extra: extra)
    }

    /// Marks the model for deletion (`mark`) or restores it.
    func setDeletionMark(_ model: M, to mark: Bool, expectedVersion: Int? = nil,
                         extra: (@Sendable (any Database) async throws -> Void)? = nil) async throws {
        try await setMark(model, to: mark, action: mark ? .markDeleted : .restore, expectedVersion: expectedVersion, extra: extra)
    }

    private func setMark(_ model: M, to mark: Bool, action: AuditEntry.Action, expectedVersion: Int?,
                         extra: (@Sendable (any Database) async throws -> Void)?) async throws {
        guard model.deletionMark != mark else { return }
        let before = try snapshot(model)
        model.deletionMark = mark
        try await update(model, before: before, expectedVersion: expectedVersion, action: action, extra: extra)
    }
}

/// Lets heterogeneous snapshots pass through a generic Encodable parameter.
struct AnyEncodable: Encodable, Sendable {
    let value: any Encodable & Sendable
    init(_ value: any Encodable & Sendable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
