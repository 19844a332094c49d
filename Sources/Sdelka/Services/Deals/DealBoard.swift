import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// The kanban board of one deal kind, for the web page and `GET /api/v1/deals/board`: per
/// stage, the count and potential of every open deal (one grouped query) and the newest
/// `limit` deals as cards, with their probability and days at the stage.
struct DealBoard: Sendable {
    struct Column: Sendable {
        var stage: DealStage
        var count: Int
        var potentialCents: Int64
        var deals: [Deal]
    }

    var columns: [Column]
    var rates: DealWinRates
    var partnerNames: [UUID: String]
    /// When each shown deal entered its current stage.
    var since: [UUID: Date]

    static func load(kindID: UUID, responsible: UUID?, limit: (UUID) -> Int, scope: AccessScope, on db: any Database) async throws -> DealBoard {
        let stages = try await DealStage.query(on: db).filter(\.$kindID == kindID).sort(\.$position).all()
        let tallies = try await columnTallies(kindID: kindID, responsible: responsible, scope: scope, on: db)
        var columns: [Column] = []
        for stage in stages {
            let deals = try await openDeals(kindID, responsible: responsible, scope: scope, on: db)
                .filter(\.$stageID == stage.id).sort(\.$number, .descending).range(0..<limit(stage.id!)).all()
            let tally = tallies[stage.id!]
            columns.append(Column(stage: stage, count: tally?.n ?? 0, potentialCents: tally?.sum ?? 0, deals: deals))
        }
        let shown = columns.flatMap(\.deals)
        return DealBoard(columns: columns, rates: try await DealWinRates.load(for: shown, on: db),
                         partnerNames: try await Partner.names(of: shown.map(\.partnerID), scope: scope, on: db),
                         since: try await stageSince(shown.map { $0.id! }, on: db))
    }

    func daysInStage(_ deal: Deal, now: Date, zone: TimeZone) -> Int {
        since[deal.id!].map { StageStatistics.days(from: $0, to: now, in: zone) } ?? 0
    }

    static func openDeals(_ kindID: UUID, responsible: UUID?, scope: AccessScope, on db: any Database) -> QueryBuilder<Deal> {
        let query = DealQueries.scoped(scope, on: db).filter(\.$kindID == kindID).filter(\.$status == .open).filter(\.$deletionMark == false)
        if let responsible { query.filter(\.$responsibleID == responsible) }
        return query
    }

    private struct Tally: Decodable {
        var stage_id: UUID?
        var n: Int
        var sum: Int64?
    }

    private static func columnTallies(kindID: UUID, responsible: UUID?, scope: AccessScope, on db: any Database) async throws -> [UUID: Tally] {
        var select = db.sql.select()
            .column(SQLColumn("stage_id", table: "deals"), as: "stage_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            // PostgreSQL sums a bigint as numeric; the cast brings it back to a 64-bit integer.
            .column(SQLFunction("CAST", args: SQLAlias(SQLFunction("SUM", args: SQLColumn("potential_cents", table: "deals")), as: SQLRaw("BIGINT"))), as: "sum")
            .from("deals")
        if scope != .all {
            select = select.join("partners", on: SQLColumn("id", table: "partners"), .equal, SQLColumn("partner_id", table: "deals"))
        }
        select = select
            .where(SQLColumn("kind_id", table: "deals"), .equal, SQLBind(kindID))
            .where(SQLColumn("status", table: "deals"), .equal, SQLBind(DealStatus.open.rawValue))
            .where(SQLColumn("deletion_mark", table: "deals"), .equal, SQLBind(false))
        if let responsible { select = select.where(SQLColumn("responsible_id", table: "deals"), .equal, SQLBind(responsible)) }
        select = scope.apply(to: select, column: SQLColumn("access_group_id", table: "partners"))
        let rows = try await select.groupBy(SQLColumn("stage_id", table: "deals")).all(decoding: Tally.self)
        return Dictionary(rows.compactMap { row in row.stage_id.map { ($0, row) } }, uniquingKeysWith: { $1 })
    }

    private static func stageSince(_ ids: [UUID], on db: any Database) async throws -> [UUID: Date] {
        var result: [UUID: Date] = [:]
        for chunk in ids.chunks(of: 500) {
            for row in try await DealStageRow.query(on: db).filter(\.$dealID ~~ Array(chunk)).filter(\.$result == .open).all() {
                result[row.dealID] = row.startAt
            }
        }
        return result
    }
}
