import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/price-comparison?date=&productGroupId=&competitorId=`: for each of our
/// products, each competitor's latest price on or before the date, against ours. One query:
/// for every (product, competitor) pair ever observed, a correlated seek on the
/// (product, competitor, date) index finds the latest observation — no window over the
/// history, so a year of daily prices costs no more than a week of them.
struct PriceComparisonReport: Content {
    struct Competitor: Content, Equatable {
        var competitorId: UUID
        var name: String
        var price: Decimal
        var currency: String
        var date: String
        var ageDays: Int
        var difference: Decimal?
        var differencePercent: Decimal?
        var cheapest: Bool
        var dearest: Bool
    }
    struct Item: Content, Equatable {
        var productId: UUID
        var sku: String
        var name: String
        var ourPrice: Decimal?
        var ourPosition: String
        var competitors: [Competitor]
    }
    struct Filter: Sendable {
        var date: CalendarDate
        var productGroupID: UUID?
        var productIDs: [UUID]?
        var competitorID: UUID?
    }

    var date: String
    var items: [Item]

    static func make(_ f: Filter, on db: any Database) async throws -> PriceComparisonReport {
        struct Row: Decodable {
            var product_id: UUID; var sku: String; var name: String; var our_cents: Int64?
            var competitor_id: UUID; var competitor: String; var price_cents: Int64; var currency: String; var date: String
        }
        let latest = SQLQueryString("""
            SELECT l.id FROM competitor_prices l WHERE l.product_id = pp.product_id AND l.competitor_id = pp.competitor_id
              AND l.date <= \(bind: f.date.description) AND l.deletion_mark = \(SQLLiteral.boolean(false))
            ORDER BY l.date DESC, l.id DESC LIMIT 1
            """)
        let query = db.sql.select()
            .column(SQLColumn("id", table: "p"), as: "product_id").column(SQLColumn("sku", table: "p"))
            .column(SQLColumn("name", table: "p")).column(SQLColumn("price_cents", table: "p"), as: "our_cents")
            .column(SQLColumn("competitor_id", table: "c")).column(SQLColumn("name", table: "k"), as: "competitor")
            .column(SQLColumn("price_cents", table: "c")).column(SQLColumn("currency", table: "c")).column(SQLColumn("date", table: "c"))
            .from(SQLAlias(SQLIdentifier(CompetitorPricePairs.table), as: SQLIdentifier("pp")))
            .join(SQLAlias(SQLIdentifier(Product.schema), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("product_id", table: "pp"))
            .join(SQLAlias(SQLIdentifier(CompetitorPrice.schema), as: SQLIdentifier("c")), on: SQLBinaryExpression(SQLColumn("id", table: "c"), .equal, SQLGroupExpression(latest)))
            .join(SQLAlias(SQLIdentifier(Partner.schema), as: SQLIdentifier("k")), on: SQLColumn("id", table: "k"), .equal, SQLColumn("competitor_id", table: "pp"))
            .where(SQLColumn("deletion_mark", table: "p"), .equal, SQLLiteral.boolean(false))
        if let id = f.competitorID { query.where(SQLColumn("competitor_id", table: "pp"), .equal, SQLBind(id)) }
        if let group = f.productGroupID {
            query.where(SQLColumn("group_id", table: "p"), .in, SQLBind.group(Array(try await ProductGroups.withDescendants(group, on: db))))
        }
        if let ids = f.productIDs, !ids.isEmpty { query.where(SQLColumn("id", table: "p"), .in, SQLBind.group(ids)) }
        let rows = try await query.orderBy(SQLColumn("sku", table: "p")).orderBy(SQLColumn("name", table: "k")).all(decoding: Row.self)
        var items: [Item] = []
        for (_, group) in Dictionary(grouping: rows, by: \.product_id).sorted(by: { ($0.value[0].sku, $0.key) < ($1.value[0].sku, $1.key) }) {
            let first = group[0]
            // Only prices in roubles compare with ours; others are shown as they are.
            let comparable = group.filter { $0.currency == "RUB" }
            let (lines, position) = PriceComparison.compare(ours: first.our_cents, theirs: comparable.map(\.price_cents))
            var byCompetitor: [UUID: PriceComparison.Line] = [:]
            for (row, line) in zip(comparable, lines) { byCompetitor[row.competitor_id] = line }
            items.append(Item(productId: first.product_id, sku: first.sku, name: first.name, ourPrice: first.our_cents.map { Money.decimal(cents: $0) },
                              ourPosition: position.rawValue, competitors: group.map { row in
                let line = byCompetitor[row.competitor_id]
                let age = CalendarDate(row.date).map { f.date.dayNumber - $0.dayNumber } ?? 0
                return Competitor(competitorId: row.competitor_id, name: row.competitor, price: Money.decimal(cents: row.price_cents),
                                  currency: row.currency, date: row.date, ageDays: age,
                                  difference: line?.differenceCents.map { Money.decimal(cents: $0) }, differencePercent: line?.differencePercent,
                                  cheapest: line?.cheapest ?? false, dearest: line?.dearest ?? false)
            }))
        }
        return PriceComparisonReport(date: f.date.description, items: items)
    }
}

/// Product groups form a tree: a group and every group below it.
enum ProductGroups {
    static func withDescendants(_ id: UUID, on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { var id: UUID; var parent_id: UUID? }
        let rows = try await db.sql.select().columns("id", "parent_id").from(ProductGroup.schema).all(decoding: Row.self)
        let children = Dictionary(grouping: rows, by: \.parent_id)
        var result: Set<UUID> = [id], queue = [id]
        while let next = queue.popLast() {
            for child in children[next] ?? [] where result.insert(child.id).inserted { queue.append(child.id) }
        }
        return result
    }
}
