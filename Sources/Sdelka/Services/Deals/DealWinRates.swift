import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// The four win rates the probability of open deals needs (DOMAIN.md §4), for a whole page or
/// board at once: one read of the kept counts (`DealWinTallies`) for the keys the deals carry.
struct DealWinRates: Sendable {
    var stage: [UUID: WinTally] = [:]
    var responsible: [UUID: WinTally] = [:]
    var partner: [UUID: WinTally] = [:]
    var kind: [UUID: WinTally] = [:]

    static func load(for deals: [Deal], on db: any Database) async throws -> DealWinRates {
        let open = deals.filter { $0.status == .open }
        guard !open.isEmpty else { return DealWinRates() }
        var keys = Set<DealWinTallies.Key>()
        for deal in open {
            keys.insert(.init(key: deal.kindID, dimension: .kind))
            keys.insert(.init(key: deal.partnerID, dimension: .partner))
            if let id = deal.responsibleID { keys.insert(.init(key: id, dimension: .responsible)) }
            if let id = deal.stageID { keys.insert(.init(key: id, dimension: .stage)) }
        }
        var rates = DealWinRates()
        for (key, tally) in try await DealWinTallies.load(keys, on: db) {
            switch key.dimension {
            case .stage: rates.stage[key.key] = tally
            case .responsible: rates.responsible[key.key] = tally
            case .partner: rates.partner[key.key] = tally
            case .kind: rates.kind[key.key] = tally
            }
        }
        return rates
    }

    func probability(of deal: Deal) -> Decimal {
        DealProbability.compute(status: deal.status, managerEstimate: deal.managerProbability,
                                stage: deal.stageID.flatMap { stage[$0] }, responsible: deal.responsibleID.flatMap { responsible[$0] },
                                partner: partner[deal.partnerID], kind: kind[deal.kindID])
    }
}
