import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// The lines of sales documents, kept in `sale_lines` without ids of their own.
enum SaleLines {
    static let insert = JSONRowsInsert(table: "sale_lines", columns: [
        ("sale_key", .int), ("position", .int), ("product_id", .uuid), ("quantity_milli", .int),
        ("price_cents", .int), ("amount_cents", .int), ("cost_cents", .int),
    ])

    static func cells(sale key: Int64, position: Int, product: UUID, _ v: SaleLineValues) -> [JSONRowsInsert.Cell] {
        [.int(Int(key)), .int(position), .uuid(product), .int(Int(v.quantityMilli)), .int(Int(v.priceCents)),
         .int(Int(v.amountCents)), .int(Int(v.costCents))]
    }

    static func replace(of sale: Sale, with lines: [(UUID, SaleLineValues)], on db: any Database) async throws {
        try await db.sql.delete(from: "sale_lines").where("sale_key", .equal, SQLBind(sale.lineKey)).run()
        try await insert.run(lines.enumerated().map { cells(sale: sale.lineKey, position: $0.offset + 1, product: $0.element.0, $0.element.1) }, on: db.sql)
    }

    /// The lines of each document, by document id.
    static func load(of sales: [Sale], on db: any Database) async throws -> [UUID: [SaleLineDTO]] {
        guard !sales.isEmpty else { return [:] }
        let ids = Dictionary(try sales.map { ($0.lineKey, try $0.requireID()) }, uniquingKeysWith: { first, _ in first })
        struct Row: Decodable {
            var sale_key: Int64
            var product_id: UUID
            var quantity_milli: Int64
            var price_cents: Int64
            var amount_cents: Int64
            var cost_cents: Int64
        }
        let rows = try await db.sql.select()
            .columns("sale_key", "product_id", "quantity_milli", "price_cents", "amount_cents", "cost_cents")
            .from("sale_lines").where("sale_key", .in, SQLBind.group(Array(ids.keys)))
            .orderBy("sale_key").orderBy("position").all(decoding: Row.self)
        return Dictionary(grouping: rows, by: { ids[$0.sale_key]! }).mapValues { lines in
            lines.map {
                SaleLineDTO(productId: $0.product_id, SaleLineValues(quantityMilli: $0.quantity_milli, priceCents: $0.price_cents,
                                                                     amountCents: $0.amount_cents, costCents: $0.cost_cents))
            }
        }
    }
}
