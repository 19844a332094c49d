import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// The four win rates the probability of open deals needs (DOMAIN.md §4), tallied set-based
/// for a whole page or board at once: one grouped query per dimension over the closed deals,
/// restricted to the keys the given deals carry. Deals marked for deletion do not count.
struct DealWinRates: Sendable {
    var stage: [UUID: WinTally] = [:]
    var responsible: [UUID: WinTally] = [:]
    var partner: [UUID: WinTally] = [:]
    var kind: [UUID: WinTally] = [:]

    static func load(for deals: [Deal], on db: any Database) async throws -> DealWinRates {
        let open = deals.filter { $0.status == .open }
        guard !open.isEmpty else { return DealWinRates() }
        var rates = DealWinRates()
        rates.stage = try await tallies(of: Set(open.compactMap(\.stageID)), on: db) { keys in
            "SELECT r.stage_id AS k, \(counts("d")) FROM deal_stage_rows r JOIN deals d ON d.id = r.deal_id WHERE \(closed("d")) AND r.stage_id IN (\(binds: keys)) GROUP BY r.stage_id"
        }
        rates.responsible = try await grouped("responsible_id", Set(open.compactMap(\.responsibleID)), on: db)
        rates.partner = try await grouped("partner_id", Set(open.map(\.partnerID)), on: db)
        rates.kind = try await grouped("kind_id", Set(open.map(\.kindID)), on: db)
        return rates
    }

    func probability(of deal: Deal) -> Decimal {
        DealProbability.compute(status: deal.status, managerEstimate: deal.managerProbability,
                                stage: deal.stageID.flatMap { stage[$0] }, responsible: deal.responsibleID.flatMap { responsible[$0] },
                                partner: partner[deal.partnerID], kind: kind[deal.kindID])
    }

    private static func counts(_ alias: String) -> SQLQueryString {
        "SUM(CASE WHEN \(ident: alias).status = 'won' THEN 1 ELSE 0 END) AS won, SUM(CASE WHEN \(ident: alias).status = 'lost' THEN 1 ELSE 0 END) AS lost"
    }

    private static func closed(_ alias: String) -> SQLQueryString {
        "\(ident: alias).status IN ('won', 'lost') AND \(ident: alias).deletion_mark = \(bind: false)"
    }

    private static func grouped(_ column: String, _ keys: Set<UUID>, on db: any Database) async throws -> [UUID: WinTally] {
        try await tallies(of: keys, on: db) { keys in
            "SELECT \(ident: column) AS k, \(counts("deals")) FROM deals WHERE \(closed("deals")) AND \(ident: column) IN (\(binds: keys)) GROUP BY \(ident: column)"
        }
    }

    private struct Row: Decodable {
        var k: UUID
        var won: Int?
        var lost: Int?
    }

    /// Keys go in chunks, so that a board of thousands of partners stays within bind limits.
    private static func tallies(of keys: Set<UUID>, on db: any Database,
                                query: ([any Encodable & Sendable]) -> SQLQueryString) async throws -> [UUID: WinTally] {
        var result: [UUID: WinTally] = [:]
        for chunk in Array(keys).chunks(of: 500) {
            for row in try await db.sql.raw(query(chunk.map { $0 })).all(decoding: Row.self) {
                result[row.k] = WinTally(won: row.won ?? 0, lost: row.lost ?? 0)
            }
        }
        return result
    }
}
