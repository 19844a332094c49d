import Fluent
import Foundation
import NIOCore
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
            Totals(revenue: a.revenue.addingSaturated(b.revenue), cost: a.cost.addingSaturated(b.cost), sales: a.sales.addingSaturated(b.sales))
        }

        static func += (a: inout Totals, b: Totals) { a = a + b }

        func value(_ measure: ClassificationMeasure) -> Int64 {
            switch measure {
            case .revenue: revenue
            case .grossProfit: revenue.subtractingSaturated(cost)
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

    /// Where a day's totals count: towards the ABC window, and the sub-period (by its first day
    /// number) of the XYZ window it falls in.
    private struct DayPlace {
        var inABC: Bool
        var subPeriod: Int?
        var counts: Bool { inABC || subPeriod != nil }
    }

    private struct SubPeriodKey: Hashable {
        var partner: Int32
        var subPeriod: Int32
    }

    /// Filled by the driver's thread, one day row after another, in any order: the ABC totals
    /// directly, the XYZ sub-period sums keyed by partner and sub-period until `finish` turns
    /// them into moments.
    private final class Accumulator: @unchecked Sendable {
        var facts = ClassificationFacts()
        private var subPeriodSums: [SubPeriodKey: Totals] = [:]
        private let abc: ClosedRange<Int>, xyz: ClosedRange<Int>
        private let subUnit: PeriodUnit
        // The last day and partner id read, and what they came to: SQLite sends the rows
        // partner by partner, and a day's place is the same for every partner.
        private var lastDay = "", lastDayNumber = Int.min, lastPlace = DayPlace(inABC: false, subPeriod: nil)
        private var lastID = "", lastUUID: UUID?

        init(abc: ClassificationWindow, xyz: ClassificationWindow, subUnit: PeriodUnit) {
            self.abc = abc.start.dayNumber...abc.end.dayNumber
            self.xyz = xyz.start.dayNumber...xyz.end.dayNumber
            self.subUnit = subUnit
        }

        func place(of dayNumber: Int) -> DayPlace {
            if dayNumber != lastDayNumber {
                lastDayNumber = dayNumber
                let subPeriod = xyz.contains(dayNumber) ? CalendarDate(dayNumber: dayNumber).map { subUnit.start(of: $0).dayNumber } : nil
                lastPlace = DayPlace(inABC: abc.contains(dayNumber), subPeriod: subPeriod)
            }
            return lastPlace
        }

        func place(of day: String) -> DayPlace {
            if day != lastDay { lastDay = day; return place(of: CalendarDate.fromISOBytes(day)?.dayNumber ?? Int.min) }
            return lastPlace
        }

        func partner(_ text: String) -> UUID? {
            if text != lastID { lastID = text; lastUUID = UUID(text: text) }
            return lastUUID
        }

        func add(_ partner: UUID, _ place: DayPlace, _ x: Totals) {
            guard place.counts else { return }
            let index = facts.index(of: partner)
            if place.inABC { facts.totals[index] = facts.totals[index].map { $0 + x } ?? x }
            if let subPeriod = place.subPeriod {
                subPeriodSums[SubPeriodKey(partner: Int32(index), subPeriod: Int32(subPeriod)), default: Totals()] += x
            }
        }

        func finish() -> ClassificationFacts {
            for (key, sums) in subPeriodSums {
                let index = Int(key.partner)
                facts.inXYZ[index] = true
                for (measure, value) in ClassificationMeasure.allCases.enumerated() {
                    facts.moments[index * ClassificationFacts.measures + measure].add(sums.value(value))
                }
            }
            subPeriodSums = [:]
            return facts
        }
    }

    /// The day rows of both windows, read once: ABC totals and XYZ sub-period sums come out of
    /// the same rows, summed and squared exactly in Swift.
    static func load(abc: ClassificationWindow, xyz: ClassificationWindow, subUnit: PeriodUnit,
                     on sql: any SQLDatabase) async throws -> ClassificationFacts {
        let reader = Accumulator(abc: abc, xyz: xyz, subUnit: subUnit)
        let (start, end) = (min(abc.start, xyz.start), max(abc.end, xyz.end))
        if sql.dialect.name == "sqlite" {
            try await StreamRow.each(sql, days(from: start, to: end)) { row in
                guard let partner = row.string("partner_id").flatMap(reader.partner), let day = row.string("day") else { return }
                reader.add(partner, reader.place(of: day), Totals(row))
            }
        } else {
            try await StreamRow.each(sql, daysPacked(from: start, to: end)) { row in
                guard let day = row.int64("day"), var facts = row.bytes("facts") else { return }
                let place = reader.place(of: Int(day))
                while let high = facts.readInteger(as: UInt64.self), let low = facts.readInteger(as: UInt64.self),
                      let revenue = facts.readInteger(as: Int64.self), let cost = facts.readInteger(as: Int64.self),
                      let sales = facts.readInteger(as: Int64.self) {
                    reader.add(UUID(byteOrderKey: (high, low)), place, Totals(revenue: revenue, cost: cost, sales: sales))
                }
            }
        }
        var facts = reader.finish()
        for (place, id) in try await partnersByCode(on: sql).enumerated() {
            if let index = facts.position[id] { facts.ranks[index] = place }
        }
        return facts
    }

    /// SQLite: the day rows of `start…end`, straight off the table in key order. `+day` keeps the
    /// planner off the index by day, whose row-by-row lookups into the table cost more than
    /// reading it through.
    private static func days(from start: CalendarDate, to end: CalendarDate) -> SQLQueryString {
        """
        SELECT partner_id, day, revenue_cents AS revenue, cost_cents AS cost, sales_count AS sales
        FROM partner_sales_daily WHERE +day >= \(bind: start.description) AND +day <= \(bind: end.description)
        ORDER BY partner_id, day
        """
    }

    /// PostgreSQL: the day rows of `start…end` as one row per day (its number from 1970-01-01),
    /// each partner's totals of the day packed into 40 bytes (id, revenue, cost, sales;
    /// big-endian). PostgresNIO spends a few microseconds on every row it receives, whatever
    /// its width: 120,000 day rows cost ~400 ms to decode, their 365 days' packed values a few.
    /// Grouping by day needs no sort, and the reader does not need the rows in any order.
    private static func daysPacked(from start: CalendarDate, to end: CalendarDate) -> SQLQueryString {
        """
        SELECT CAST(day::date - DATE '1970-01-01' AS BIGINT) AS day,
               string_agg(uuid_send(partner_id) || int8send(revenue_cents) || int8send(cost_cents) || int8send(sales_count), ''::bytea) AS facts
        FROM partner_sales_daily WHERE day >= \(bind: start.description) AND day <= \(bind: end.description)
        GROUP BY day
        """
    }

    /// Every partner in the order of codes, byte order on both databases. PostgreSQL sends the
    /// ids packed into one value, 16 bytes each, for the reason `daysPacked` gives.
    private static func partnersByCode(on sql: any SQLDatabase) async throws -> [UUID] {
        if sql.dialect.name == "sqlite" {
            return try await StreamRow.collect(sql, "SELECT id FROM partners ORDER BY COALESCE(code, ''), id") { $0.uuid("id") }
        }
        let query: SQLQueryString = "SELECT string_agg(uuid_send(id), ''::bytea ORDER BY COALESCE(code, '') COLLATE \"C\", id) AS ids FROM partners"
        guard var packed = try await StreamRow.collect(sql, query, { $0.bytes("ids") }).first else { return [] }
        var ids: [UUID] = []
        ids.reserveCapacity(packed.readableBytes / 16)
        while let high = packed.readInteger(as: UInt64.self), let low = packed.readInteger(as: UInt64.self) {
            ids.append(UUID(byteOrderKey: (high, low)))
        }
        return ids
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
