import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// The kanban board of one deal kind: a column per stage with the count and potential of all
/// its open deals, and cards for the newest of them (a column shows more on request). Dropping
/// a card on a column posts the stage through the same rules as the API; without scripts the
/// card's own page moves it.
enum DealBoardPage {
    static let cardsPerColumn = 50
    static let expandedCards = 500

    struct Body: Encodable, Sendable {
        var kinds: [FormOption]
        var responsibles: [FormOption]
        var kindId: String
        var columns: [Column]
        var canEdit: Bool
        var back: String
        var total: Int
        var totalPotential: String
    }

    struct Column: Encodable, Sendable {
        var stageId: UUID
        var name: String
        var count: Int
        var potential: String
        var cards: [Card]
        var hidden: Int
        var more: String?
    }

    struct Card: Encodable, Sendable {
        var id: UUID
        var number: Int
        var name: String
        var partner: String
        var amount: String
        var probability: String
        var days: Int
        var responsible: String
    }

    private struct Tally: Decodable {
        var stage_id: UUID?
        var n: Int
        var sum: Int64?
    }

    @Sendable static func show(req: Request) async throws -> Response {
        guard try await SettingsStore.features(on: req.db).isEnabled(.dealStages) else { throw APIError.featureDisabled(.dealStages) }
        var params = QueryParameters(req)
        let requestedKind = params.uuid("kindId"), responsible = params.uuid("responsibleId"), expanded = params.uuid("more")
        try params.check()
        let t = req.application.localizer.strings(WebPage.language(req))
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).filter(\.$type != .free).sort(\.$name).all()
        guard let kind = kinds.first(where: { $0.id == requestedKind }) ?? kinds.first else {
            return try await WebPage.render("deal-board", titleKey: "deal_board", page: Body(
                kinds: [], responsibles: [], kindId: "", columns: [], canEdit: false, back: "/deals/board", total: 0, totalPotential: ""), for: req)
        }
        let kindID = try kind.requireID()
        let scope = try await req.accessScope()
        let stages = try await DealStage.query(on: req.db).filter(\.$kindID == kindID).sort(\.$position).all()
        let tallies = try await columnTallies(kindID: kindID, responsible: responsible, scope: scope, on: req.db)
        var deals: [UUID: [Deal]] = [:]
        for stage in stages {
            let limit = stage.id == expanded ? expandedCards : cardsPerColumn
            deals[stage.id!] = try await openDeals(kindID, responsible: responsible, scope: scope, on: req.db)
                .filter(\.$stageID == stage.id).sort(\.$number, .descending).range(0..<limit).all()
        }
        let shown = deals.values.flatMap { $0 }
        let rates = try await DealWinRates.load(for: shown, on: req.db)
        let partners = Dictionary(uniqueKeysWithValues: try await Partner.query(on: req.db).filter(\.$id ~~ Set(shown.map(\.partnerID))).all()
            .map { ($0.id!, $0.name) })
        let since = try await stageSince(shown.map { $0.id! }, on: req.db)
        let names = try await ReferenceNames.load(req)
        let zone = req.application.sdelka.timeZone, now = Date()
        let canEdit = try req.user.role.can(.editRecords)
        let back = req.link(to: "/deals/board", dropping: ["more"])
        let columns = stages.map { stage in
            let tally = tallies[stage.id!]
            let cards = (deals[stage.id!] ?? []).map { deal in
                Card(id: deal.id!, number: deal.number, name: deal.name, partner: partners[deal.partnerID] ?? "",
                     amount: deal.potentialCents.map { RussianFormat.money(cents: $0) } ?? "",
                     probability: RussianFormat.percent(rates.probability(of: deal)),
                     days: since[deal.id!].map { StageStatistics.days(from: $0, to: now, in: zone) } ?? 0,
                     responsible: ReferenceNames.name(deal.responsibleID, in: names.users))
            }
            let count = tally?.n ?? 0
            return Column(stageId: stage.id!, name: stage.name, count: count,
                          potential: RussianFormat.money(cents: tally?.sum ?? 0), cards: cards, hidden: max(0, count - cards.count),
                          more: count > cards.count ? req.link(to: "/deals/board", dropping: ["more"], adding: [URLQueryItem(name: "more", value: stage.id!.uuidString)]) : nil)
        }
        let body = Body(
            kinds: kinds.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == kindID) },
            responsibles: ReferenceNames.options(names.users, selected: responsible, blank: t["filter_any"] ?? "—"),
            kindId: kindID.uuidString, columns: columns, canEdit: canEdit, back: back,
            total: tallies.values.map(\.n).reduce(0, +), totalPotential: RussianFormat.money(cents: tallies.values.compactMap(\.sum).reduce(0, +)))
        return try await WebPage.render("deal-board", titleKey: "deal_board", page: body, for: req)
    }

    static func openDeals(_ kindID: UUID, responsible: UUID?, scope: AccessScope, on db: any Database) -> QueryBuilder<Deal> {
        let query = DealService.scoped(scope, on: db).filter(\.$kindID == kindID).filter(\.$status == .open).filter(\.$deletionMark == false)
        if let responsible { query.filter(\.$responsibleID == responsible) }
        return query
    }

    /// Count and potential of every open deal per stage, in one grouped query.
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

    /// When each deal entered its current stage: the start of its open row.
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
