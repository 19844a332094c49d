import Fluent
import SQLKit
import Vapor

/// Physical deletion of objects marked for deletion (DOMAIN.md §9): an object is deleted only
/// if nothing refers to it. Each purgeable type lists the columns that refer to it; later
/// features add their references here, so purge can never leave a dangling reference.
/// Rows owned by an object (a user's tokens and grants) go with it through ON DELETE CASCADE.
enum Purge {
    struct Reference: Sendable {
        var table: String
        var column: String
        /// How the referring objects are called in the report.
        var objectType: String
    }

    struct Kind: Sendable {
        var table: String
        var objectType: String
        var nameColumn: String
        var references: [Reference]
    }

    /// Rows that belong to an object without a foreign key (derived data): deleted with it.
    static let owned: [(table: String, rows: String, column: String)] = [
        ("partners", "classification_results", "partner_id"),
        ("partners", "segment_members", "partner_id"),
    ]

    static let kinds: [Kind] = [
        // A sales document's lines go with it (ON DELETE CASCADE); a marked one is in no totals.
        Kind(table: "sales", objectType: "sale", nameColumn: "number", references: []),
        Kind(table: "agreements", objectType: "agreement", nameColumn: "number", references: [
            Reference(table: "sales", column: "agreement_id", objectType: "sale"),
            Reference(table: "deals", column: "agreement_id", objectType: "deal"),
        ]),
        Kind(table: "contracts", objectType: "contract", nameColumn: "number", references: [
            Reference(table: "sales", column: "contract_id", objectType: "sale"),
        ]),
        Kind(table: "products", objectType: "product", nameColumn: "name", references: [
            Reference(table: "sale_lines", column: "product_id", objectType: "sale"),
        ]),
        Kind(table: "product_groups", objectType: "productGroup", nameColumn: "name", references: [
            Reference(table: "products", column: "group_id", objectType: "product"),
            Reference(table: "product_groups", column: "parent_id", objectType: "productGroup"),
        ]),
        Kind(table: "organizations", objectType: "organization", nameColumn: "name", references: [
            Reference(table: "sales", column: "organization_id", objectType: "sale"),
            Reference(table: "agreements", column: "organization_id", objectType: "agreement"),
            Reference(table: "contracts", column: "organization_id", objectType: "contract"),
        ]),
        // A deal's participants, demand, stage rows and tasks go with it (ON DELETE CASCADE);
        // its source of interest is a record of where a client came from and keeps it.
        Kind(table: "deals", objectType: "deal", nameColumn: "name", references: [
            Reference(table: "primary_interests", column: "deal_id", objectType: "primaryInterest"),
            Reference(table: "sales", column: "deal_id", objectType: "sale"),
        ]),
        Kind(table: "deal_kinds", objectType: "dealKind", nameColumn: "name", references: [
            Reference(table: "deals", column: "kind_id", objectType: "deal"),
        ]),
        Kind(table: "loss_reasons", objectType: "lossReason", nameColumn: "name", references: [
            Reference(table: "deals", column: "loss_reason_id", objectType: "deal"),
        ]),
        Kind(table: "unsatisfied_reasons", objectType: "unsatisfiedReason", nameColumn: "name", references: [
            Reference(table: "deal_demand", column: "unsatisfied_reason_id", objectType: "deal"),
        ]),
        Kind(table: "partner_links", objectType: "partnerLink", nameColumn: "comment", references: []),
        Kind(table: "partner_link_kinds", objectType: "partnerLinkKind", nameColumn: "name", references: [
            Reference(table: "partner_links", column: "kind_id", objectType: "partnerLink"),
        ]),
        // A segment's stored members go with it (ON DELETE CASCADE).
        Kind(table: "segments", objectType: "segment", nameColumn: "name", references: [
            Reference(table: "marketing_events", column: "target_segment_id", objectType: "marketingEvent"),
        ]),
        Kind(table: "marketing_events", objectType: "marketingEvent", nameColumn: "name", references: [
            Reference(table: "primary_interests", column: "event_id", objectType: "primaryInterest"),
        ]),
        Kind(table: "contact_persons", objectType: "contactPerson", nameColumn: "name", references: [
            Reference(table: "marketing_event_participants", column: "contact_person_id", objectType: "marketingEvent"),
            Reference(table: "deal_participants", column: "contact_person_id", objectType: "deal"),
        ]),
        Kind(table: "channels", objectType: "channel", nameColumn: "name", references: [
            Reference(table: "primary_interests", column: "channel_id", objectType: "primaryInterest"),
            Reference(table: "marketing_events", column: "channel_id", objectType: "marketingEvent"),
        ]),
        Kind(table: "contact_roles", objectType: "contactRole", nameColumn: "name", references: [
            Reference(table: "contact_person_roles", column: "role_id", objectType: "contactPerson"),
        ]),
        Kind(table: "counterparties", objectType: "counterparty", nameColumn: "name", references: [
            Reference(table: "counterparties", column: "head_counterparty_id", objectType: "counterparty"),
            Reference(table: "sales", column: "counterparty_id", objectType: "sale"),
            Reference(table: "agreements", column: "counterparty_id", objectType: "agreement"),
            Reference(table: "contracts", column: "counterparty_id", objectType: "contract"),
        ]),
        Kind(table: "partners", objectType: "partner", nameColumn: "name", references: [
            Reference(table: "partners", column: "parent_id", objectType: "partner"),
            Reference(table: "counterparties", column: "partner_id", objectType: "counterparty"),
            Reference(table: "contact_persons", column: "partner_id", objectType: "contactPerson"),
            Reference(table: "primary_interests", column: "partner_id", objectType: "primaryInterest"),
            Reference(table: "primary_interests", column: "referrer_partner_id", objectType: "primaryInterest"),
            Reference(table: "marketing_event_participants", column: "partner_id", objectType: "marketingEvent"),
            Reference(table: "partner_links", column: "partner_id", objectType: "partnerLink"),
            Reference(table: "partner_links", column: "linked_partner_id", objectType: "partnerLink"),
            Reference(table: "deals", column: "partner_id", objectType: "deal"),
            Reference(table: "deal_participants", column: "partner_id", objectType: "deal"),
            Reference(table: "sales", column: "partner_id", objectType: "sale"),
        ]),
        Kind(table: "users", objectType: "user", nameColumn: "login", references: [
            Reference(table: "partners", column: "main_manager_id", objectType: "partner"),
            Reference(table: "marketing_events", column: "responsible_id", objectType: "marketingEvent"),
            Reference(table: "deals", column: "responsible_id", objectType: "deal"),
            Reference(table: "deal_stage_rows", column: "responsible_id", objectType: "deal"),
            Reference(table: "deal_stage_rows", column: "override_by", objectType: "deal"),
            Reference(table: "deal_tasks", column: "responsible_id", objectType: "deal"),
            Reference(table: "deal_tasks", column: "done_by", objectType: "deal"),
        ]),
        Kind(table: "business_regions", objectType: "businessRegion", nameColumn: "name", references: [
            Reference(table: "partners", column: "business_region_id", objectType: "partner"),
        ]),
        Kind(table: "access_groups", objectType: "accessGroup", nameColumn: "name", references: [
            Reference(table: "user_access_groups", column: "access_group_id", objectType: "user"),
            Reference(table: "partners", column: "access_group_id", objectType: "partner"),
        ]),
    ]

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
        for kind in kinds {
            let (free, blocked) = try await candidates(kind, on: db)
            purged += free
            kept += blocked
        }
        return Report(purged: purged, kept: kept)
    }

    /// Deletes every marked object nothing refers to, auditing each, in one transaction.
    /// Runs to a fixed point: deleting a marked user frees the access groups only it held.
    static func run(by author: ChangeAuthor, on db: any Database) async throws -> Report {
        try await db.transaction { tx in
            var purged: [Item] = []
            var progress = true
            while progress {
                progress = false
                for kind in kinds {
                    let (free, _) = try await candidates(kind, on: tx)
                    guard !free.isEmpty else { continue }
                    for owned in owned where owned.table == kind.table {
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

    private static func candidates(_ kind: Kind, on db: any Database) async throws -> (free: [Item], blocked: [Item]) {
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
            let rows = try await db.sql.select().distinct()
                .column(SQLAlias(SQLIdentifier(reference.column), as: SQLIdentifier("ref")))
                .from(reference.table)
                .where(SQLIdentifier(reference.column), .in, SQLBind.group(marked.map(\.id)))
                .all(decoding: Ref.self)
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

enum PurgeController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("purge", use: preview)
        routes.post("purge", use: run)
    }

    @Sendable static func preview(req: Request) async throws -> Purge.Report {
        try req.require(.purge)
        return try await Purge.preview(on: req.db)
    }

    @Sendable static func run(req: Request) async throws -> Purge.Report {
        let user = try req.require(.purge)
        return try await Purge.run(by: ChangeAuthor(user), on: req.db)
    }
}
