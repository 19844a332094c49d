import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/competitors?from=&to=`: per competitor, the deals started in the period
/// that it took part in (of the partners the user may see): met, won by us, lost to it (it
/// took the deal), the amount lost, our win rate against it — won ÷ (won + lost to it), percent —
/// and its price observations of the period: products observed and the mean difference of its
/// latest prices from ours at the period's end.
struct CompetitorsReport: Content {
    struct Item: Content, Equatable {
        var competitorId: UUID
        var name: String
        var dealsMet: Int
        var wonByUs: Int
        var lostToThem: Int
        var amountLost: Decimal
        var winRate: Decimal?
        var productsObserved: Int
        var meanPriceDifferencePercent: Decimal?
    }

    var from: String
    var to: String
    var items: [Item]

    struct Deals: Decodable, Sendable { var competitor_id: UUID; var met: Int; var won: Int; var lost: Int; var amount_lost: Int64? }

    /// Deals met, won and lost per competitor (one competitor's when given), in one grouped query.
    static func deals(from: CalendarDate, to: CalendarDate, competitor: UUID? = nil, scope: AccessScope, on db: any Database) async throws -> [UUID: Deals] {
        let dealsQuery = db.sql.select().column(SQLColumn("partner_id", table: "dp"), as: "competitor_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "met")
            .column(SQLRaw("SUM(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END)"), as: "won")
            .column(SQLRaw("SUM(CASE WHEN d.status = 'lost' AND dp.took = 1 THEN 1 ELSE 0 END)"), as: "lost")
            // PostgreSQL sums bigints into numeric; the cast keeps the kopecks an integer on both.
            .column(SQLRaw("CAST(SUM(CASE WHEN d.status = 'lost' AND dp.took = 1 THEN COALESCE(d.potential_cents, 0) ELSE 0 END) AS BIGINT)"), as: "amount_lost")
            .from(SQLAlias(SQLRaw("(SELECT deal_id, partner_id, MAX(CASE WHEN won_deal THEN 1 ELSE 0 END) AS took FROM deal_participants GROUP BY deal_id, partner_id)"),
                           as: SQLIdentifier("dp")))
            .join(SQLAlias(SQLIdentifier(Deal.schema), as: SQLIdentifier("d")), on: SQLColumn("id", table: "d"), .equal, SQLColumn("deal_id", table: "dp"))
            .join(SQLAlias(SQLIdentifier(Partner.schema), as: SQLIdentifier("k")), on: SQLColumn("id", table: "k"), .equal, SQLColumn("partner_id", table: "dp"))
            .where(SQLColumn("is_competitor", table: "k"), .equal, SQLLiteral.boolean(true))
            .where(SQLColumn("deletion_mark", table: "d"), .equal, SQLLiteral.boolean(false))
            .where(SQLColumn("start_date", table: "d"), .greaterThanOrEqual, SQLBind(from.description))
            .where(SQLColumn("start_date", table: "d"), .lessThanOrEqual, SQLBind(to.description))
            .groupBy(SQLColumn("partner_id", table: "dp"))
        if let visible = scope.partnerVisible(SQLColumn("partner_id", table: "d")) { dealsQuery.where(visible) }
        if let competitor { dealsQuery.where(SQLColumn("partner_id", table: "dp"), .equal, SQLBind(competitor)) }
        return Dictionary(try await dealsQuery.all(decoding: Deals.self).map { ($0.competitor_id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    static func make(from: CalendarDate, to: CalendarDate, scope: AccessScope, on db: any Database) async throws -> CompetitorsReport {
        let deals = try await deals(from: from, to: to, scope: scope, on: db)
        struct Observed: Decodable { var competitor_id: UUID; var products: Int }
        let observed = Dictionary(try await db.sql.select().column("competitor_id").column(SQLRaw("COUNT(DISTINCT product_id)"), as: "products")
            .from(CompetitorPrice.schema).where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .where("date", .greaterThanOrEqual, SQLBind(from.description)).where("date", .lessThanOrEqual, SQLBind(to.description))
            .groupBy("competitor_id").all(decoding: Observed.self).map { ($0.competitor_id, $0.products) }, uniquingKeysWith: { a, _ in a })
        var differences: [UUID: [Decimal]] = [:]
        for item in try await PriceComparisonReport.make(.init(date: to), on: db).items {
            for c in item.competitors where CalendarDate(c.date).map({ $0 >= from }) == true {
                if let percent = c.differencePercent { differences[c.competitorId, default: []].append(percent) }
            }
        }
        let competitors = try await Partner.query(on: db).filter(\.$isCompetitor == true).filter(\.$deletionMark == false).sort(\.$name).all()
        let items = try competitors.map { k -> Item in
            let id = try k.requireID(), d = deals[id]
            let won = d?.won ?? 0, lost = d?.lost ?? 0
            let mean = differences[id].flatMap { list -> Decimal? in
                guard !list.isEmpty else { return nil }
                var value = list.reduce(0, +) / Decimal(list.count), rounded = Decimal()
                NSDecimalRound(&rounded, &value, 2, .plain)
                return rounded
            }
            return Item(competitorId: id, name: k.name, dealsMet: d?.met ?? 0, wonByUs: won, lostToThem: lost,
                        amountLost: Money.decimal(cents: d?.amount_lost ?? 0), winRate: PriceComparison.percent(Int64(won), of: Int64(won + lost)),
                        productsObserved: observed[id] ?? 0, meanPriceDifferencePercent: mean)
        }
        return CompetitorsReport(from: from.description, to: to.description, items: items)
    }
}
