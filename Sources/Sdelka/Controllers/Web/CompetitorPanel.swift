import Fluent
import SdelkaCore
import Vapor

/// On a competitor's partner card: the deals it took part in and those lost to it, our win rate
/// against it, its latest prices, its strengths and weaknesses, the interactions it took part
/// in. Nil unless the partner is a competitor and competitive intelligence is on.
struct CompetitorPanel: Encodable, Sendable {
    struct Deal: Encodable, Sendable { var id: UUID; var name: String; var status: String; var amount: String; var reason: String; var stage: String; var lost: Bool }
    struct Note: Encodable, Sendable { var date: String; var kind: String; var strength: Bool; var text: String }
    struct Mention: Encodable, Sendable { var id: UUID; var date: String; var topic: String }
    var id: UUID
    var met: Int
    var won: Int
    var lost: Int
    var amountLost: String
    var winRate: String
    var deals: [Deal]
    var prices: [CompetitorPricePages.Row]
    var notes: [Note]
    var mentions: [Mention]
    var canEdit: Bool
    var today: String

    static func load(partner: Partner, scope: AccessScope, req: Request) async throws -> CompetitorPanel? {
        guard partner.isCompetitor, try await SettingsStore.features(on: req.db).isEnabled(.competitorIntel) else { return nil }
        let id = try partner.requireID()
        let t = req.application.localizer.strings(WebPage.language(req))
        let figures = try await CompetitorsReport.deals(from: CalendarDate.accepted.lowerBound, to: CalendarDate.accepted.upperBound,
                                                        competitor: id, scope: scope, on: req.db)[id]
        let taking = try await DealParticipant.query(on: req.db).filter(\.$partnerID == id).all()
        let took = Set(taking.filter(\.wonDeal).map(\.dealID))
        let deals = try await DealQueries.scoped(scope, on: req.db).filter(\.$id ~~ Set(taking.map(\.dealID))).filter(\.$deletionMark == false)
            .sort(\.$startDate, .descending).range(0..<20).all()
        let reasons = Dictionary(try await ReferenceNames.catalog(LossReason.self, req.db), uniquingKeysWith: { a, _ in a })
        let stages = try await DealStage.query(on: req.db).filter(\.$id ~~ deals.compactMap(\.stageID)).all()
            .reduce(into: [UUID: String]()) { $0[$1.id ?? UUID()] = $1.name }
        let prices = try await CompetitorPrice.query(on: req.db).filter(\.$competitorID == id).filter(\.$deletionMark == false)
            .sort(\.$date, .descending).range(0..<20).all()
        let products = try await Product.query(on: req.db).filter(\.$id ~~ Set(prices.map(\.productID))).all()
            .reduce(into: [UUID: String]()) { $0[$1.id ?? UUID()] = "\($1.sku) — \($1.name)" }
        let notes = try await CompetitorNote.query(on: req.db).filter(\.$competitorID == id).filter(\.$deletionMark == false)
            .sort(\.$date, .descending).range(0..<50).all()
        let mentioned = try await InteractionParticipant.query(on: req.db).filter(\.$partnerID == id).range(0..<200).all().map(\.interactionID)
        let interactions = try await InteractionQueries.scoped(scope, userID: try? req.user.id, on: req.db).filter(\.$id ~~ mentioned)
            .filter(\.$deletionMark == false).sort(\.$occurredAt, .descending).range(0..<10).all()
        let zone = req.application.sdelka.timeZone
        return CompetitorPanel(
            id: id, met: figures?.met ?? 0, won: figures?.won ?? 0, lost: figures?.lost ?? 0,
            amountLost: RussianFormat.money(cents: figures?.amount_lost ?? 0),
            winRate: PriceComparison.percent(Int64(figures?.won ?? 0), of: Int64((figures?.won ?? 0) + (figures?.lost ?? 0))).map(RussianFormat.percent) ?? "—",
            deals: try deals.map { d in
                let dealID = try d.requireID()
                let lostToThem = d.status == .lost && took.contains(dealID)
                return Deal(id: try d.requireID(), name: d.name, status: t["deal_status_\(d.status.rawValue)"] ?? d.status.rawValue,
                            amount: d.potentialCents.map { RussianFormat.money(cents: $0) } ?? "", reason: lostToThem ? (d.lossReasonID.flatMap { reasons[$0] } ?? "") : "",
                            stage: lostToThem ? (d.stageID.flatMap { stages[$0] } ?? "") : "", lost: lostToThem)
            },
            prices: try prices.map { p in
                CompetitorPricePages.Row(id: try p.requireID(), date: RussianFormat.date(p.date), competitor: partner.name, competitorId: id,
                                         product: products[p.productID] ?? "", productId: p.productID,
                                         price: RussianFormat.money(cents: p.priceCents, symbol: p.currency == "RUB" ? "₽" : p.currency), source: "", deletionMark: false)
            },
            notes: notes.map { Note(date: RussianFormat.date($0.date), kind: t["competitor_note_\($0.kind.rawValue)"] ?? $0.kind.rawValue,
                                    strength: $0.kind == .strength, text: $0.text) },
            mentions: try interactions.map { Mention(id: try $0.requireID(), date: RussianFormat.dateTime($0.occurredAt, zone: zone), topic: $0.topic) },
            canEdit: try req.user.role.can(.editRecords), today: CalendarDate(Date(), in: zone).description)
    }
}
