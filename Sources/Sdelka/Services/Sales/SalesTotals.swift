import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Per-partner daily totals of sales (DOMAIN.md §5, kept for §6): revenue, cost and the
/// numbers of sales documents and returns, moved with every write of a document in the same
/// transaction, so that classification and reports never rescan the lines. A return's
/// negative amounts reduce the totals of its day; a document marked for deletion counts nowhere.
enum SalesTotals {
    struct Key: Hashable {
        var partnerID: UUID
        var day: String
    }

    struct Delta {
        var revenueCents: Int64 = 0
        var costCents: Int64 = 0
        var sales: Int64 = 0
        var returns: Int64 = 0
    }

    /// Changes summed per partner and day before they are written.
    struct Changes {
        private(set) var deltas: [Key: Delta] = [:]

        var isEmpty: Bool { deltas.isEmpty }

        /// Adds (`sign` 1) or takes away (`sign` -1) one document.
        mutating func add(partner: UUID, day: String, revenueCents: Int64, costCents: Int64, isReturn: Bool, sign: Int64) {
            var delta = deltas[Key(partnerID: partner, day: day), default: Delta()]
            delta.revenueCents +| sign.multipliedSaturated(by: revenueCents)
            delta.costCents +| sign.multipliedSaturated(by: costCents)
            if isReturn { delta.returns += sign } else { delta.sales += sign }
            deltas[Key(partnerID: partner, day: day)] = delta
        }

        /// A document marked for deletion counts nowhere, unless `markedToo` (marking and
        /// restoring move the document it is about).
        mutating func add(_ sale: Sale, sign: Int64, markedToo: Bool = false) {
            guard markedToo || !sale.deletionMark else { return }
            add(partner: sale.partnerID, day: sale.date, revenueCents: sale.revenueCents, costCents: sale.costCents,
                isReturn: sale.isReturn, sign: sign)
        }
    }

    private static let upsert: JSONRowsInsert = {
        var insert = JSONRowsInsert(table: "partner_sales_daily", columns: [
            ("partner_id", .uuid), ("day", .text), ("revenue_cents", .int), ("cost_cents", .int), ("sales_count", .int), ("returns_count", .int),
        ])
        insert.conflict = .init(target: ["partner_id", "day"], update: [], bumpVersion: false,
                                accumulate: ["revenue_cents", "cost_cents", "sales_count", "returns_count"])
        return insert
    }()

    /// The statements that apply the changes: add to the rows, then drop the rows left with
    /// no document, so that a partner whose only sale was marked for deletion has no facts.
    static func statements(_ changes: Changes, for db: any SQLDatabase) -> [SQLQueryString] {
        guard !changes.isEmpty else { return [] }
        let rows: [[JSONRowsInsert.Cell]] = changes.deltas.map { key, delta in
            [.uuid(key.partnerID), .text(key.day), .int(Int(delta.revenueCents)), .int(Int(delta.costCents)),
             .int(Int(delta.sales)), .int(Int(delta.returns))]
        }
        var statements = [upsert.statement(rows, for: db)].compactMap { $0 }
        let emptied = changes.deltas.filter { $0.value.sales < 0 || $0.value.returns < 0 }.map(\.key.partnerID)
        if !emptied.isEmpty {
            statements.append("""
                DELETE FROM partner_sales_daily WHERE sales_count = 0 AND returns_count = 0 AND partner_id IN \(SQLBind.group(Array(Set(emptied))))
                """)
        }
        return statements
    }

    static func apply(_ changes: Changes, on db: any Database) async throws {
        for statement in statements(changes, for: db.sql) { try await db.sql.raw(statement).run() }
    }

    /// Recomputes the totals of the given partners (all when nil) from the documents, set-based.
    static func rebuild(partners: [UUID]? = nil, on db: any Database) async throws {
        let sql = db.sql
        var deferred: DeferredIndexes?
        if let partners {
            guard !partners.isEmpty else { return }
            try await sql.delete(from: "partner_sales_daily").where("partner_id", .in, SQLBind.group(partners)).run()
        } else {
            try await sql.delete(from: "partner_sales_daily").run()
            // Built once over the new rows: kept while inserting them, the index on `day` took
            // two thirds of the time (369,000 rows: 3.5 s against 1.4).
            deferred = try await DeferredIndexes.dropIfEmpty("partner_sales_daily", on: sql)
        }
        // All of them: SQLite reads `sales` in table order and sorts, rather than following its
        // index on (partner_id, date) to every row at random.
        let wholeTable = partners == nil && sql.dialect.name == "sqlite"
        var insert = SQLQueryString("""
            INSERT INTO partner_sales_daily (partner_id, day, revenue_cents, cost_cents, sales_count, returns_count)
            SELECT partner_id, date, SUM(revenue_cents), SUM(cost_cents),
                   SUM(CASE WHEN is_return THEN 0 ELSE 1 END), SUM(CASE WHEN is_return THEN 1 ELSE 0 END)
            FROM sales\(unsafeRaw: wholeTable ? " NOT INDEXED" : "") WHERE deletion_mark = \(SQLLiteral.boolean(false))
            """)
        if let partners { insert.appendInterpolation(" AND partner_id IN \(SQLBind.group(partners))" as SQLQueryString) }
        insert.appendInterpolation(unsafeRaw: " GROUP BY partner_id, date")
        try await sql.raw(insert).run()
        try await deferred?.create(on: sql)
    }

    struct Row: Decodable, Equatable {
        var partner_id: UUID
        var day: String
        var revenue_cents: Int64
        var cost_cents: Int64
        var sales_count: Int64
        var returns_count: Int64
    }

    /// Every kept row, in a stable order (for checks against `rebuild`).
    static func all(on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns("partner_id", "day", "revenue_cents", "cost_cents", "sales_count", "returns_count")
            .from("partner_sales_daily").orderBy("partner_id").orderBy("day").all(decoding: Row.self)
    }

    /// A partner's totals by month, newest first, from the day rows of the last `months` months.
    static func monthly(partner: UUID, months: Int, today: CalendarDate, on db: any Database) async throws -> [SalesMonthDTO] {
        struct Month: Decodable { var month: String; var revenue: Int64; var cost: Int64; var sales: Int64; var returns: Int64 }
        let first = today.firstOfMonth(addingMonths: -(months - 1)).description
        // PostgreSQL sums bigints as numeric: cast back so that both databases answer integers.
        let rows = try await db.sql.raw("""
            SELECT substr(day, 1, 7) AS month, CAST(SUM(revenue_cents) AS BIGINT) AS revenue, CAST(SUM(cost_cents) AS BIGINT) AS cost,
                   CAST(SUM(sales_count) AS BIGINT) AS sales, CAST(SUM(returns_count) AS BIGINT) AS returns
            FROM partner_sales_daily WHERE partner_id = \(bind: partner) AND day >= \(bind: first)
            GROUP BY substr(day, 1, 7) ORDER BY month DESC
            """).all(decoding: Month.self)
        return rows.map {
            SalesMonthDTO(month: $0.month, revenue: Money.decimal(cents: $0.revenue), cost: Money.decimal(cents: $0.cost),
                          grossProfit: Money.decimal(cents: $0.revenue.subtractingSaturated($0.cost)), salesCount: Int($0.sales), returnsCount: Int($0.returns))
        }
    }
}
