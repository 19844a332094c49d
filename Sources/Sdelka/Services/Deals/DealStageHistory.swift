import Fluent
import Foundation
import SdelkaCore

/// The stage statistics of a deal with the stages' names, in stage order.
enum DealStageHistory {
    /// `stages` are the deal kind's, when the caller has them already.
    static func rows(of deal: Deal, stages: [DealStage]? = nil, on db: any Database) async throws -> [StageRowDTO] {
        let rows = try await DealStageRow.query(on: db).filter(\.$dealID == deal.requireID()).sort(\.$stageOrder).all()
        var known = stages ?? []
        if stages == nil { known = try await DealStage.query(on: db).filter(\.$kindID == deal.kindID).all() }
        let names = Dictionary(uniqueKeysWithValues: known.map { ($0.id!, $0.name) })
        return rows.map { row in
            StageRowDTO(stageId: row.stageID, name: names[row.stageID] ?? "", order: row.stageOrder, start: row.startAt, end: row.endAt,
                        durationDays: row.durationDays, potential: row.potentialCents.map(Money.decimal(cents:)), result: row.result,
                        responsibleId: row.responsibleID,
                        override: row.overrideBy.flatMap { by in row.overrideAt.map { ChecklistOverrideDTO(userId: by, at: $0) } })
        }
    }
}
