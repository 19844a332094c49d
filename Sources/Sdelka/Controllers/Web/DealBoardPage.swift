import Fluent
import SdelkaCore
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

    @Sendable static func show(req: Request) async throws -> Response {
        var params = QueryParameters(req)
        let requestedKind = params.uuid("kindId"), responsible = params.uuid("responsibleId"), expanded = params.uuid("more")
        try params.check()
        let t = req.application.localizer.strings(WebPage.language(req))
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).filter(\.$type != .free).sort(\.$name).all()
        guard let kind = kinds.first(where: { $0.id == requestedKind }) ?? kinds.first else {
            return try await WebPage.render("deal-board", titleKey: "deal_board", page: Body(
                kinds: [], responsibles: [], kindId: "", columns: [], canEdit: false, back: Site.deals.path(.board), total: 0, totalPotential: ""), for: req)
        }
        let kindID = try kind.requireID()
        let board = try await DealBoard.load(kindID: kindID, responsible: responsible,
                                             limit: { $0 == expanded ? expandedCards : cardsPerColumn },
                                             scope: try await req.accessScope(), on: req.db)
        let names = try await ReferenceNames.load(req)
        let zone = req.application.sdelka.timeZone, now = Date()
        let columns = board.columns.map { column in
            let stageID = column.stage.id!
            let cards = column.deals.map { deal in
                Card(id: deal.id!, number: deal.number, name: deal.name, partner: board.partnerNames[deal.partnerID] ?? "",
                     amount: deal.potentialCents.map { RussianFormat.money(cents: $0) } ?? "",
                     probability: RussianFormat.percent(board.rates.probability(of: deal)),
                     days: board.daysInStage(deal, now: now, zone: zone),
                     responsible: ReferenceNames.name(deal.responsibleID, in: names.users))
            }
            return Column(stageId: stageID, name: column.stage.name, count: column.count,
                          potential: RussianFormat.money(cents: column.potentialCents), cards: cards, hidden: max(0, column.count - cards.count),
                          more: column.count > cards.count
                              ? req.link(to: Site.deals.path(.board), dropping: ["more"], adding: [URLQueryItem(name: "more", value: stageID.uuidString)]) : nil)
        }
        let body = Body(
            kinds: kinds.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == kindID) },
            responsibles: ReferenceNames.options(names.users, selected: responsible, blank: t["filter_any"] ?? "—"),
            kindId: kindID.uuidString, columns: columns, canEdit: try req.user.role.can(.editRecords),
            back: req.link(to: Site.deals.path(.board), dropping: ["more"]), total: board.columns.map(\.count).reduce(0, +),
            totalPotential: RussianFormat.money(cents: board.columns.map(\.potentialCents).saturatedSum))
        return try await WebPage.render("deal-board", titleKey: "deal_board", page: body, for: req)
    }
}
