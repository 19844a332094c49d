import Foundation

/// What ABC/XYZ classifies clients by (DOMAIN.md §6); each can be switched on separately.
public enum ClassificationMeasure: String, CaseIterable, Codable, Sendable {
    case revenue, grossProfit, salesCount

    public var feature: FeatureSwitches.Feature {
        switch self {
        case .revenue: .abcxyzRevenue
        case .grossProfit: .abcxyzGrossProfit
        case .salesCount: .abcxyzSalesCount
        }
    }
}

public enum ABCClass: String, CaseIterable, Codable, Sendable { case A, B, C, unclassified }
public enum XYZClass: String, CaseIterable, Codable, Sendable { case X, Y, Z, unclassified }

/// ABC by a measure's total and XYZ by the coefficient of variation over sub-periods,
/// exactly as DOMAIN.md §6 defines them. Ties sort by partner code ascending.
public enum ABCXYZ {
    public struct Item<ID: Hashable & Sendable>: Sendable {
        public var id: ID
        public var code: String
        public init(id: ID, code: String) { self.id = id; self.code = code }
    }

    /// `value` is the measure's total over the ABC window (kopecks or a count).
    public static func abc<ID>(_ items: [(item: Item<ID>, value: Int64)]) -> [ID: ABCClass] {
        let sorted = items.sorted { $0.value != $1.value ? $0.value > $1.value : $0.item.code < $1.item.code }
        let total = sorted.reduce(Int128(0)) { $0 + Int128($1.value) }
        // c_i = 100·cum_i/T; multiplied through by |T| so that the walk stays in integers.
        var cumulative = Int128(0)
        let c: [Int128] = sorted.map { entry in
            cumulative += Int128(entry.value)
            return total == 0 ? 0 : (total > 0 ? 100 * cumulative : -100 * cumulative)
        }
        let (a, b) = AdaptiveWalk.split(c)
        var classes: [ID: ABCClass] = [:]
        for (index, entry) in sorted.enumerated() {
            classes[entry.item.id] = index < a ? .A : (index < a + b ? .B : .C)
        }
        return classes
    }

    /// CV = |σ·100/mean| over k sub-periods, 0 when the mean is 0; to six decimals, so that
    /// equal series reached by different sums (30, 0, 0 and 0, 0, 5 both give 141.421356) tie
    /// exactly and fall to the code order.
    public static func coefficientOfVariation(_ moments: Moments, subPeriods k: Int) -> Double {
        guard moments.sum != 0, k > 0 else { return 0 }
        // σ/mean = √(k·Σx² − (Σx)²) / |Σx|: exact integers up to the square root.
        let radicand = Int128(k) * moments.sumOfSquares - moments.sum * moments.sum
        let cv = 100 * Double(radicand).squareRoot() / Double(moments.sum.magnitude)
        return (cv * 1e6).rounded() / 1e6
    }

    /// The same walk on the CVs sorted descending: Z, then Y, and X for all it does not reach.
    public static func xyz<ID>(_ items: [(item: Item<ID>, cv: Double)]) -> [ID: XYZClass] {
        let sorted = items.sorted { $0.cv != $1.cv ? $0.cv > $1.cv : $0.item.code < $1.item.code }
        let total = sorted.reduce(0) { $0 + $1.cv }
        var cumulative = 0.0
        let c: [Double] = sorted.map { entry in
            cumulative += entry.cv
            return total == 0 ? 0 : 100 * cumulative / total
        }
        let (z, y) = AdaptiveWalk.split(c)
        var classes: [ID: XYZClass] = [:]
        for (index, entry) in sorted.enumerated() {
            classes[entry.item.id] = index < z ? .Z : (index < z + y ? .Y : .X)
        }
        return classes
    }

    /// Σx and Σx² of a partner's sub-period totals; sub-periods without sales add nothing.
    public struct Moments: Equatable, Sendable {
        public var sum: Int128 = 0
        public var sumOfSquares: Int128 = 0
        public init() {}
        public mutating func add(_ x: Int64) {
            sum += Int128(x)
            sumOfSquares += Int128(x) * Int128(x)
        }
    }
}

/// Where the relationship with a client stands, from its latest XYZ result by the chosen
/// measure (DOMAIN.md §6).
public enum RelationshipStage: String, CaseIterable, Codable, Sendable {
    case potential, oneOff, regular, lost

    public init(latestXYZ: XYZClass?) {
        switch latestXYZ {
        case nil: self = .potential
        case .Z: self = .oneOff
        case .unclassified: self = .lost
        case .X, .Y: self = .regular
        }
    }
}
