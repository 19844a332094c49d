import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `sdelka bench-competitors --products 5000 --competitors 10 --days 365`: on an empty database,
/// that many products, competitors and daily prices of each competitor for each product, written
/// in batches; then the price comparison of every product is made five times and timed. For
/// benchmarks only (scripts/bench-competitors.sh).
struct BenchCompetitorsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "products", help: "Products (default 5000).") var products: Int?
        @Option(name: "competitors", help: "Competitors (default 10).") var competitors: Int?
        @Option(name: "days", help: "Days of daily prices (default 365).") var days: Int?
        @Flag(name: "measure-only", help: "Time the comparison on the prices already there.") var measureOnly: Bool
    }

    var help: String { "Generates competitors' prices and times the price comparison (scripts/bench-competitors.sh)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        try await Bootstrap.ensureAdmin(app)
        let productCount = signature.products ?? 5000, competitorCount = signature.competitors ?? 10, days = signature.days ?? 365
        if !signature.measureOnly { try await generate(app, context: context, productCount: productCount, competitorCount: competitorCount, days: days) }
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        for date in [today, today.adding(days: -100)] {
            var times: [Double] = []
            var items = 0
            for _ in 0..<5 {
                let t0 = Date()
                items = try await PriceComparisonReport.make(.init(date: date), on: app.db).items.count
                times.append(Date().timeIntervalSince(t0) * 1000)
            }
            context.console.print("price comparison on \(date): \(items) products, ms: " + times.map { String(format: "%.0f", $0) }.joined(separator: ", "))
        }
    }

    private func generate(_ app: Application, context: CommandContext, productCount: Int, competitorCount: Int, days: Int) async throws {
        let service = ServiceContext(db: app.db, author: .system, scope: .all, config: app.sdelka)
        var competitors: [UUID] = []
        for n in 1...competitorCount {
            var input = PartnerInput()
            input.name = "Конкурент \(n)"
            input.isCompetitor = true
            competitors.append(try await PartnerService(service).create(input).requireID())
        }
        let now = Date()
        var productRows = JSONRowsInsert(table: Product.schema, columns: [("id", .uuid), ("sku", .text), ("name", .text), ("unit", .text),
                                                                          ("price_cents", .int), ("search_text", .text)])
        productRows.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        let products = (0..<productCount).map { _ in TimeOrderedID.make() }
        for chunk in Array(products.enumerated()).chunks(of: 5_000) {
            try await productRows.run(chunk.map { n, id in
                [.uuid(id), .text(String(format: "SKU-%06d", n)), .text("Товар \(n)"), .text("шт"), .int(10_000 + n * 7), .text("sku-\(n)")]
            }, on: app.db.sql)
        }
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        var prices = JSONRowsInsert(table: CompetitorPrice.schema, columns: [("id", .uuid), ("competitor_id", .uuid), ("product_id", .uuid),
                                                                            ("date", .text), ("price_cents", .int)])
        prices.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now), ("currency", "RUB")]
        let started = Date()
        var written = 0
        for (p, product) in products.enumerated() {
            var rows: [[JSONRowsInsert.Cell]] = []
            rows.reserveCapacity(competitorCount * days)
            for (c, competitor) in competitors.enumerated() {
                for day in 0..<days {
                    rows.append([.uuid(TimeOrderedID.make()), .uuid(competitor), .uuid(product), .text(today.adding(days: -day).description),
                                 .int(10_000 + p * 7 + (c * 37 + day * 13) % 2_000 - 1_000)])
                }
            }
            let batch = rows, insert = prices, all = competitors
            try await app.db.writeTransaction { tx in
                try await insert.run(batch, on: tx.sql)
                try await CompetitorPricePairs.note(all.map { (product, $0) }, on: tx)
            }
            written += rows.count
            if (p + 1) % 500 == 0 { context.console.print("  \(written) prices written (\(Int(Date().timeIntervalSince(started))) s)") }
        }
        if app.db.sql.dialect.name == "sqlite" { try await app.db.sql.raw("ANALYZE").run() } else { try await app.db.sql.raw("ANALYZE competitor_prices").run() }
        context.console.print("\(productCount) products × \(competitorCount) competitors × \(days) days = \(written) prices in \(Int(Date().timeIntervalSince(started))) s")
    }
}
