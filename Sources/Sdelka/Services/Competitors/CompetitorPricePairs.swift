import Fluent
import Foundation
import SQLKit

/// The (product, competitor) pairs that have observations, kept with every write of a price.
enum CompetitorPricePairs {
    static let table = "competitor_price_pairs"

    static func note(_ pairs: [(product: UUID, competitor: UUID)], on db: any Database) async throws {
        var seen = Set<String>()
        let unique = pairs.filter { seen.insert("\($0.product)/\($0.competitor)").inserted }
        guard !unique.isEmpty else { return }
        let insert = JSONRowsInsert(table: table, columns: [("product_id", .uuid), ("competitor_id", .uuid)],
                                    conflict: .init(target: ["product_id", "competitor_id"], update: [], bumpVersion: false))
        for chunk in unique.chunks(of: 5_000) {
            try await insert.run(chunk.map { [.uuid($0.product), .uuid($0.competitor)] }, on: db.sql)
        }
    }

    static func rebuild(competitor: UUID, on db: any Database) async throws {
        try await db.sql.raw("""
            INSERT INTO competitor_price_pairs (product_id, competitor_id)
            SELECT DISTINCT product_id, competitor_id FROM competitor_prices WHERE competitor_id = \(bind: competitor)
            ON CONFLICT (product_id, competitor_id) DO NOTHING
            """).run()
    }
}
