import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// What classification reads: the per-partner daily sales totals summed over a window, and per
/// sub-period — never the sales lines themselves.
struct ClassificationFacts: Sendable {
    struct Totals: Sendable {
        var revenue: Int64 = 0
        var cost: Int64 = 0
        var sales: Int64 = 0

        /// A row's `revenue`, `cost` and `sales` columns.
        init(_ row: StreamRow) {
            self.init(revenue: row.int64("revenue") ?? 0, cost: row.int64("cost") ?? 0, sales: row.int64("sales") ?? 0)
        }

        init(revenue: Int64 = 0, cost: Int64 = 0, sales: Int64 = 0) {
            self.revenue = revenue
            self.cost = cost
            self.sales = sales
        }

        static func + (a: Totals, b: Totals) -> Totals {
            Totals(revenue: a.revenue + b.revenue, cost: a.cost + b.cost, sales: a.sales + b.sales)
        }

        func value(_ measure: ClassificationMeasure) -> Int64 {
            switch measure {
            case .revenue: revenue
            case .grossProfit: revenue - cost
            case .salesCount: sales
            }
        }
    }

    /// Every partner with sales facts in either window, in the order first read.
    private(set) var partners: [UUID] = []
    /// Each partner's place in the order of partner codes, the tie-break.
    private(set) var ranks: [Int] = []
    /// Totals over the ABC window, nil for a partner without facts there.
    private(set) var totals: [Totals?] = []
    /// Σx and Σx² of each measure over the XYZ sub-periods: partner i's measure m at
    /// `i * measures + m`; `inXYZ[i]` false for a partner without facts there.
    private(set) var moments: [ABCXYZ.Moments] = []
    private(set) var inXYZ: [Bool] = []
    static let measures = ClassificationMeasure.allCases.count

    func moments(of partner: Int, _ measure: Int) -> ABCXYZ.Moments { moments[partner * Self.measures + measure] }
    private var position: [UUID: Int] = [:]

    /// Filled row by row by the driver's thread, one row after another: sums one partner's
    /// sub-period and adds it to the partner's moments when the next one begins.
    private final class Reader: @unchecked Sendable {
        var facts = ClassificationFacts()
        let sameWindow: Bool
        private var partner: UUID?
        private var bucket: Int?
        private var sums = Totals()
        // The last partner id and day read, and what they came to: rows come partner by
        // partner, so most ids and many days repeat the row before.
        private var lastID = "", lastUUID: UUID?
        private var lastDay = "", lastBucket = 0

        func partner(_ text: String) -> UUID? {
            if text != lastID { lastID = text; lastUUID = UUID(text: text) }
            return lastUUID
        }

        func bucket(_ day: String, _ unit: PeriodUnit) -> Int {
            if day != lastDay { lastDay = day; lastBucket = CalendarDate.fromISOBytes(day).map { unit.start(of: $0).dayNumber } ?? 0 }
            return lastBucket
        }

        init(sameWindow: Bool = true) { self.sameWindow = sameWindow }

        func add(_ partner: UUID, bucket: Int, _ x: Totals) {
            if partner != self.partner || bucket != self.bucket {
                flush()
                self.partner = partner
                self.bucket = bucket
            }
            sums = sums + x
        }

        func flush() {
            guard let partner else { return }
            let index = facts.index(of: partner)
            facts.inXYZ[index] = true
            for (measure, value) in ClassificationMeasure.allCases.enumerated() {
                facts.moments[index * ClassificationFacts.measures + measure].add(sums.value(value))
            }
            if sameWindow { facts.totals[index] = facts.totals[index].map { $0 + sums } ?? sums }
            self.partner = nil
            sums = Totals()
        }
    }

    static func load(abc: ClassificationWindow, xyz: ClassificationWindow, subUnit: PeriodUnit,
                     on sql: any SQLDatabase) async throws -> ClassificationFacts {
        let reader = Reader(sameWindow: abc == xyz)
        let sqlite = sql.dialect.name == "sqlite"
        // The day rows in key order (partner, day), cut into sub-periods and squared exactly in
        // Swift. It costs less than a GROUP BY on either database: SQLite reads them straight
        // off the table; PostgreSQL sorts 120,000 rows faster than it hashes their 90,000
        // sub-period sums, and fewer but wider rows (arrays per partner) decoded no faster.
        try await StreamRow.each(sql, days(from: xyz.start, to: xyz.end, sqlite: sqlite)) { row in
            guard let partner = sqlite ? row.string("partner_id").flatMap(reader.partner) : row.uuid("partner_id") else { return }
            reader.add(partner, bucket: row.string("day").map { reader.bucket($0, subUnit) } ?? 0, Totals(row))
        }
        reader.flush()
        if abc != xyz {
            try await StreamRow.each(sql, sums(from: abc.start, to: abc.end)) { row in
                guard let partner = row.uuid("partner_id") else { return }
                let index = reader.facts.index(of: partner)
                reader.facts.totals[index] = Totals(row)
            }
        }
        // Places among all partners by code, byte order on both databases.
        let byCode: SQLQueryString = sqlite
            ? "SELECT id FROM partners ORDER BY COALESCE(code, ''), id"
            : "SELECT id FROM partners ORDER BY COALESCE(code, '') COLLATE \"C\", id"
        var facts = reader.facts
        for (place, id) in try await StreamRow.collect(sql, byCode, { $0.uuid("id") }).enumerated() {
            if let index = facts.position[id] { facts.ranks[index] = place }
        }
        return facts
    }

    /// The day rows of `start…end` in key order. SQLite: `+day` keeps the planner off the index
    /// by day, whose row-by-row lookups into the table cost more than reading it through.
    private static func days(from start: CalendarDate, to end: CalendarDate, sqlite: Bool) -> SQLQueryString {
        let day = sqlite ? "+day" : "day"
        return """
            SELECT partner_id, day, revenue_cents AS revenue, cost_cents AS cost, sales_count AS sales
            FROM partner_sales_daily WHERE \(unsafeRaw: day) >= \(bind: start.description) AND \(unsafeRaw: day) <= \(bind: end.description)
            ORDER BY partner_id, day
            """
    }

    /// Per partner sums over `start…end`: the ABC window when it is not the XYZ window.
    private static func sums(from start: CalendarDate, to end: CalendarDate) -> SQLQueryString {
        """
        SELECT partner_id, CAST(SUM(revenue_cents) AS BIGINT) AS revenue, CAST(SUM(cost_cents) AS BIGINT) AS cost,
               CAST(SUM(sales_count) AS BIGINT) AS sales
        FROM partner_sales_daily WHERE day >= \(bind: start.description) AND day <= \(bind: end.description)
        GROUP BY partner_id
        """
    }

    fileprivate mutating func index(of partner: UUID) -> Int {
        if let index = position[partner] { return index }
        position[partner] = partners.count
        partners.append(partner)
        totals.append(nil)
        ranks.append(0)
        inXYZ.append(false)
        moments.append(contentsOf: repeatElement(ABCXYZ.Moments(), count: Self.measures))
        return partners.count - 1
    }
}
