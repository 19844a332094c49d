import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/price-comparison?date=&productGroupId=&competitorId=`: for each of our
/// products, each competitor's latest price on or before the date, against ours. One query:
/// for every (product, competitor) pair ever observed, a correlated seek on the
/// (product, competitor, date) index finds the latest observation — no window over the
/// history, so a year of daily prices costs no more than a week of them. (Ordering by anything
/// beyond the index's date, even the id to break a tie within a day, makes the database read and
/// sort the pair's whole history: it cost five times as much on a year of daily prices.)
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
        struct Row: Decodable { var product_id: FastUUID; var competitor_id: FastUUID; var price_cents: Int64; var currency: String; var date: String }
        let seek = SQLQueryString("""
            FROM competitor_prices l WHERE l.product_id = pp.product_id AND l.competitor_id = pp.competitor_id
              AND l.date <= \(bind: f.date.description) AND l.deletion_mark = \(SQLLiteral.boolean(false))
            ORDER BY l.date DESC LIMIT 1
            """)
        var sql = SQLQueryString("SELECT pp.product_id, pp.competitor_id, c.price_cents, c.currency, c.date FROM competitor_price_pairs pp ")
        sql.appendInterpolation(unsafeRaw: "JOIN products p ON p.id = pp.product_id ")
        if db.sql.dialect.name == "sqlite" {
            // The row by its rowid: no second walk down the id index of millions of prices.
            sql.appendInterpolation(unsafeRaw: "JOIN competitor_prices c ON c.rowid = (SELECT l.rowid ")
            sql += seek
            sql.appendInterpolation(unsafeRaw: ") ")
        } else {
            sql.appendInterpolation(unsafeRaw: "CROSS JOIN LATERAL (SELECT l.price_cents, l.currency, l.date ")
            sql += seek
            sql.appendInterpolation(unsafeRaw: ") c ")
        }
        sql.appendInterpolation(unsafeRaw: "WHERE p.deletion_mark = ")
        sql.appendInterpolation(SQLLiteral.boolean(false))
        if let id = f.competitorID { sql += " AND pp.competitor_id = \(bind: id)" }
        if let group = f.productGroupID {
            let groups = Array(try await ProductGroups.withDescendants(group, on: db))
            sql += " AND p.group_id IN \(SQLBind.group(groups))"
        }
        if let ids = f.productIDs, !ids.isEmpty { sql += " AND p.id IN \(SQLBind.group(ids))" }
        let rows = try await db.sql.raw(sql).all(decoding: Row.self).map {
            (product_id: $0.product_id.value, competitor_id: $0.competitor_id.value, price_cents: $0.price_cents, currency: $0.currency, date: $0.date)
        }
        let products = try await Self.products(Set(rows.map(\.product_id)), on: db)
        let names = try await Partner.query(on: db).filter(\.$isCompetitor == true).all()
            .reduce(into: [UUID: String]()) { $0[$1.id ?? UUID()] = $1.name }
        var items: [Item] = []
        for (productID, unsorted) in Dictionary(grouping: rows, by: \.product_id)
            .sorted(by: { (products[$0.key]?.sku ?? "", $0.key) < (products[$1.key]?.sku ?? "", $1.key) }) {
            guard let product = products[productID] else { continue }
            let group = unsorted.sorted { (names[$0.competitor_id] ?? "", $0.competitor_id) < (names[$1.competitor_id] ?? "", $1.competitor_id) }
            // Only prices in roubles compare with ours; others are shown as they are.
            let comparable = group.filter { $0.currency == "RUB" }
            let (lines, position) = PriceComparison.compare(ours: product.cents, theirs: comparable.map(\.price_cents))
            var byCompetitor: [UUID: PriceComparison.Line] = [:]
            for (row, line) in zip(comparable, lines) { byCompetitor[row.competitor_id] = line }
            items.append(Item(productId: productID, sku: product.sku, name: product.name, ourPrice: product.cents.map { Money.decimal(cents: $0) },
                              ourPosition: position.rawValue, competitors: group.map { row in
                let line = byCompetitor[row.competitor_id]
                let age = CalendarDate(row.date).map { f.date.dayNumber - $0.dayNumber } ?? 0
                return Competitor(competitorId: row.competitor_id, name: names[row.competitor_id] ?? "", price: Money.decimal(cents: row.price_cents),
                                  currency: row.currency, date: row.date, ageDays: age,
                                  difference: line?.differenceCents.map { Money.decimal(cents: $0) }, differencePercent: line?.differencePercent,
                                  cheapest: line?.cheapest ?? false, dearest: line?.dearest ?? false)
            }))
        }
        return PriceComparisonReport(date: f.date.description, items: items)
    }
}

extension PriceComparisonReport {
    struct ProductLine: Sendable { var sku: String; var name: String; var cents: Int64? }

    static func products(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: ProductLine] {
        struct Row: Decodable { var id: UUID; var sku: String; var name: String; var price_cents: Int64? }
        var result: [UUID: ProductLine] = [:]
        for chunk in Array(ids).chunks(of: 1_000) {
            for row in try await db.sql.select().columns("id", "sku", "name", "price_cents").from(Product.schema)
                .where("id", .in, SQLBind.group(Array(chunk))).all(decoding: Row.self) {
                result[row.id] = ProductLine(sku: row.sku, name: row.name, cents: row.price_cents)
            }
        }
        return result
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
