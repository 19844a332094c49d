import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// What a deal adds to the win rates (DOMAIN.md §4): a closed, unmarked deal counts once as
/// won or lost for its kind, partner, responsible and every stage it reached.
struct DealOutcome: Equatable, Sendable {
    var status: DealStatus
    var deletionMark: Bool
    var kindID: UUID
    var partnerID: UUID
    var responsibleID: UUID?
    var stageIDs: [UUID]

    init(_ deal: Deal, stageIDs: [UUID]) {
        status = deal.status
        deletionMark = deal.deletionMark
        kindID = deal.kindID
        partnerID = deal.partnerID
        responsibleID = deal.responsibleID
        self.stageIDs = stageIDs
    }

    var keys: [DealWinTallies.Key] {
        guard status != .open, !deletionMark else { return [] }
        var keys = [DealWinTallies.Key(key: kindID, dimension: .kind), DealWinTallies.Key(key: partnerID, dimension: .partner)]
        if let responsibleID { keys.append(.init(key: responsibleID, dimension: .responsible)) }
        keys += Set(stageIDs).map { .init(key: $0, dimension: .stage) }
        return keys
    }
}

/// The won/lost counts behind the win rates, kept in `deal_win_tallies` in the same
/// transaction as every change of a deal's outcome; `rebuild` recomputes them set-based (after
/// bulk writes such as a merge or generated data) and is what the tests compare against.
enum DealWinTallies {
    enum Dimension: String, Sendable { case stage, responsible, partner, kind }

    struct Key: Hashable, Sendable {
        var key: UUID
        var dimension: Dimension
    }

    /// Moves a deal's counts from its outcome before a change to its outcome after it.
    static func record(from before: DealOutcome?, to after: DealOutcome?, on db: any Database) async throws {
        guard before != after else { return }
        var delta: [Key: (won: Int, lost: Int)] = [:]
        func add(_ outcome: DealOutcome?, _ sign: Int) {
            guard let outcome else { return }
            for key in outcome.keys {
                var value = delta[key] ?? (0, 0)
                if outcome.status == .won { value.won += sign } else { value.lost += sign }
                delta[key] = value
            }
        }
        add(before, -1)
        add(after, 1)
        let rows = delta.filter { $0.value != (0, 0) }
        guard !rows.isEmpty else { return }
        try await upsert.run(rows.map { [.uuid($0.key.key), .text($0.key.dimension.rawValue), .int($0.value.won), .int($0.value.lost)] }, on: db.sql)
    }

    private static let upsert: JSONRowsInsert = {
        var insert = JSONRowsInsert(table: "deal_win_tallies", columns: [("subject_id", .uuid), ("dimension", .text), ("won", .int), ("lost", .int)])
        insert.conflict = .init(target: ["subject_id", "dimension"], update: [], bumpVersion: false, accumulate: ["won", "lost"])
        return insert
    }()

    static func load(_ keys: Set<Key>, on db: any Database) async throws -> [Key: WinTally] {
        struct Row: Decodable { var subject_id: UUID; var dimension: String; var won: Int; var lost: Int }
        var result: [Key: WinTally] = [:]
        for chunk in Array(Set(keys.map(\.key))).chunks(of: 500) {
            let rows = try await db.sql.select().columns("subject_id", "dimension", "won", "lost").from("deal_win_tallies")
                .where("subject_id", .in, SQLBind.group(Array(chunk))).all(decoding: Row.self)
            for row in rows {
                guard let dimension = Dimension(rawValue: row.dimension) else { continue }
                let key = Key(key: row.subject_id, dimension: dimension)
                if keys.contains(key) { result[key] = WinTally(won: row.won, lost: row.lost) }
            }
        }
        return result
    }

    /// Recomputes the partner counts of some partners (a merge moves deals between them).
    static func rebuildPartners(_ ids: [UUID], on db: any Database) async throws {
        try await db.sql.delete(from: "deal_win_tallies").where("dimension", .equal, SQLBind(Dimension.partner.rawValue))
            .where("subject_id", .in, SQLBind.group(ids)).run()
        try await db.sql.raw("""
            INSERT INTO deal_win_tallies (subject_id, dimension, won, lost)
            SELECT d.partner_id, \(bind: Dimension.partner.rawValue), \(counts) FROM deals d
            WHERE \(closed) AND d.partner_id IN (\(binds: ids.map { $0 })) GROUP BY d.partner_id
            """).run()
    }

    private static var counts: SQLQueryString {
        "SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END), SUM(CASE WHEN d.status = 'lost' THEN 1 ELSE 0 END)"
    }

    private static var closed: SQLQueryString { "d.status IN ('won', 'lost') AND d.deletion_mark = \(bind: false)" }

    /// Recomputes every count from the deals themselves.
    static func rebuild(on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: "deal_win_tallies").run()
            for (dimension, column) in [(Dimension.kind, "kind_id"), (.partner, "partner_id"), (.responsible, "responsible_id")] {
                try await tx.sql.raw("""
                    INSERT INTO deal_win_tallies (subject_id, dimension, won, lost)
                    SELECT d.\(ident: column), \(bind: dimension.rawValue), \(counts) FROM deals d
                    WHERE \(closed) AND d.\(ident: column) IS NOT NULL GROUP BY d.\(ident: column)
                    """).run()
            }
            try await tx.sql.raw("""
                INSERT INTO deal_win_tallies (subject_id, dimension, won, lost)
                SELECT r.stage_id, \(bind: Dimension.stage.rawValue), \(counts)
                FROM (SELECT DISTINCT deal_id, stage_id FROM deal_stage_rows) r JOIN deals d ON d.id = r.deal_id
                WHERE \(closed) GROUP BY r.stage_id
                """).run()
        }
    }
}
