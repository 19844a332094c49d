import Fluent
import SQLKit
import Vapor

/// Physical deletion of objects marked for deletion (DOMAIN.md §9): an object is deleted only
/// if nothing refers to it. What refers to what is the registry of `ReferenceRegistry`, which
/// a test holds to the migrations' foreign keys; rows owned by an object (a user's tokens and
/// grants, a deal's stage rows) go with it through ON DELETE CASCADE.
enum Purge {

    struct Item: Content, Equatable {
        var objectType: String
        var id: UUID
        var name: String
        /// For an object kept: the types of objects that still refer to it.
        var referencedBy: [String]?
    }

    struct Report: Content {
        var purged: [Item]
        var kept: [Item]
    }

    /// Lists what a purge would delete and what it must keep, without deleting anything.
    static func preview(on db: any Database) async throws -> Report {
        var purged: [Item] = [], kept: [Item] = []
        for kind in ReferenceRegistry.kinds {
            let (free, blocked) = try await candidates(kind, on: db)
            purged += free
            kept += blocked
        }
        return Report(purged: purged, kept: kept)
    }

    /// Deletes every marked object nothing refers to, auditing each, in one transaction.
    /// Runs to a fixed point: deleting a marked user frees the access groups only it held.
    static func run(by author: ChangeAuthor, on db: any Database) async throws -> Report {
        try await db.writeTransaction { tx in
            var purged: [Item] = []
            var progress = true
            while progress {
                progress = false
                for kind in ReferenceRegistry.kinds {
                    let (free, _) = try await candidates(kind, on: tx)
                    guard !free.isEmpty else { continue }
                    for owned in ReferenceRegistry.owned where owned.table == kind.table {
                        try await tx.sql.delete(from: owned.rows).where(SQLIdentifier(owned.column), .in, SQLBind.group(free.map(\.id))).run()
                    }
                    try await tx.sql.delete(from: kind.table)
                        .where(SQLIdentifier("id"), .in, SQLBind.group(free.map(\.id)))
                        .run()
                    for item in free {
                        try await Audit.record(.purge, objectType: item.objectType, objectID: item.id.uuidString,
                                               changes: [.init(field: "name", old: .string(item.name), new: nil)],
                                               by: author, on: tx)
                    }
                    purged += free
                    progress = true
                }
            }
            let kept = try await preview(on: tx).kept
            return Report(purged: purged, kept: kept)
        }
    }

    private struct Row: Decodable {
        var id: UUID
        var name: String?
    }

    private static func candidates(_ kind: ReferenceRegistry.Kind, on db: any Database) async throws -> (free: [Item], blocked: [Item]) {
        let marked = try await db.sql.select()
            .column(SQLIdentifier("id"))
            .column(SQLAlias(SQLIdentifier(kind.nameColumn), as: SQLIdentifier("name")))
            .from(kind.table)
            .where(SQLIdentifier("deletion_mark"), .equal, SQLLiteral.boolean(true))
            .all(decoding: Row.self)
        guard !marked.isEmpty else { return ([], []) }
        var referrers: [UUID: Set<String>] = [:]
        for reference in kind.references {
            struct Ref: Decodable { var ref: UUID }
            var query = db.sql.select().distinct()
                .column(SQLAlias(SQLIdentifier(reference.column), as: SQLIdentifier("ref")))
                .from(reference.table)
                .where(SQLIdentifier(reference.column), .in, SQLBind.group(marked.map(\.id)))
            if let condition = reference.condition { query = query.where(condition.expression) }
            let rows = try await query.all(decoding: Ref.self)
            for row in rows { referrers[row.ref, default: []].insert(reference.objectType) }
        }
        var free: [Item] = [], blocked: [Item] = []
        for row in marked {
            if let types = referrers[row.id] {
                blocked.append(Item(objectType: kind.objectType, id: row.id, name: row.name ?? "", referencedBy: types.sorted()))
            } else {
                free.append(Item(objectType: kind.objectType, id: row.id, name: row.name ?? "", referencedBy: nil))
            }
        }
        return (free, blocked)
    }
}
