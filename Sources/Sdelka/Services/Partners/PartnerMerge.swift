import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Merging two partners (DOMAIN.md §1): everything that refers to the merged partner moves to
/// the survivor in one transaction; the merged one is marked for deletion and both get an
/// audit record. The columns moved are `ReferenceRegistry`'s, which a test holds to the
/// database's foreign keys. Classification results are derived from the sales that move:
/// the merged partner's are dropped, and the next run classifies the survivor on all of them.
enum PartnerMerge {
    struct Result: Content {
        var survivor: PartnerDTO
        var moved: [String: Int]
    }

    static func merge(_ merged: Partner, into survivor: Partner, by author: ChangeAuthor, on db: any Database) async throws -> [String: Int] {
        let from = try merged.requireID(), into = try survivor.requireID()
        guard from != into else { throw FieldErrors("intoId", "must be another partner") }
        if merged.deletionMark { throw RuleConflict("already_marked", "The partner to merge is marked for deletion.") }
        return try await db.writeTransaction { tx in
            var moved: [String: Int] = [:]
            // A link between the two would become a partner linked to itself.
            try await tx.sql.update(PartnerLink.schema).set("deletion_mark", to: SQLLiteral.boolean(true))
                .where { $0
                    .where(SQLIdentifier("partner_id"), .equal, SQLBind(from)).where(SQLIdentifier("linked_partner_id"), .equal, SQLBind(into))
                }
                .orWhere { $0
                    .where(SQLIdentifier("partner_id"), .equal, SQLBind(into)).where(SQLIdentifier("linked_partner_id"), .equal, SQLBind(from))
                }.run()
            for (table, column) in ReferenceRegistry.partnerMergeColumns {
                struct Count: Decodable { var n: Int }
                let count = try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                    .from(table).where(SQLIdentifier(column), .equal, SQLBind(from))
                    .first(decoding: Count.self)?.n ?? 0
                guard count > 0 else { continue }
                try await tx.sql.update(table).set(SQLIdentifier(column), to: SQLBind(into))
                    .where(SQLIdentifier(column), .equal, SQLBind(from)).run()
                moved["\(table).\(column)"] = count
            }
            if moved["deals.partner_id"] != nil { try await DealWinTallies.rebuildPartners([from, into], on: tx) }
            if moved["sales.partner_id"] != nil { try await SalesTotals.rebuild(partners: [from, into], on: tx) }
            try await tx.sql.delete(from: "classification_results").where("partner_id", .equal, SQLBind(from)).run()
            // Segment lists that named the merged partner name the survivor (once).
            try await tx.sql.raw("""
                INSERT INTO segment_members (segment_id, partner_id) SELECT segment_id, \(bind: into) FROM segment_members
                WHERE partner_id = \(bind: from) AND segment_id NOT IN (SELECT segment_id FROM segment_members WHERE partner_id = \(bind: into))
                """).run()
            try await tx.sql.delete(from: "segment_members").where("partner_id", .equal, SQLBind(from)).run()
            if moved["competitor_prices.competitor_id"] != nil { try await CompetitorPricePairs.rebuild(competitor: into, on: tx) }
            // The merged partner's own contact lines now belong to the survivor.
            try await tx.sql.update(ContactDetail.schema).set("owner_id", to: SQLBind(into))
                .where("owner_type", .equal, SQLBind(ContactDetail.OwnerType.partner.rawValue))
                .where("owner_id", .equal, SQLBind(from)).run()
            let before = try PartnerDTO(merged, contacts: [])
            merged.deletionMark = true
            merged.version += 1
            try await merged.update(on: tx)
            try await Audit.record(.merge, objectType: Partner.objectType, objectID: from.uuidString,
                                   changes: [FieldChange(field: "mergedInto", old: nil, new: .string(into.uuidString)),
                                             FieldChange(field: "deletionMark", old: .bool(before.deletionMark), new: .bool(true))],
                                   by: author, on: tx)
            try await Audit.record(.merge, objectType: Partner.objectType, objectID: into.uuidString,
                                   changes: [FieldChange(field: "mergedFrom", old: nil, new: .string(from.uuidString))]
                                       + moved.sorted { $0.key < $1.key }.map { FieldChange(field: $0.key, old: nil, new: .number(Decimal($0.value))) },
                                   by: author, on: tx)
            return moved
        }
    }
}
