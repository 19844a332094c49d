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

extension FeatureSwitches {
    /// The ABC/XYZ measures switched on, in their order.
    public var classificationMeasures: [ClassificationMeasure] {
        ClassificationMeasure.allCases.filter { isEnabled($0.feature) }
    }
}

public enum ABCClass: String, CaseIterable, Codable, Sendable { case A, B, C, unclassified }
public enum XYZClass: String, CaseIterable, Codable, Sendable { case X, Y, Z, unclassified }

/// ABC by a measure's total and XYZ by the coefficient of variation over sub-periods,
/// exactly as DOMAIN.md §6 defines them. Clients are given by position: `rank[i]` is client
/// i's place in the order of partner codes, the tie-break (computed once per run, so that the
/// sorts compare integers, not strings).
public enum ABCXYZ {
    /// The places of `codes` in ascending order (equal codes share no place: the first wins).
    public static func codeRanks(_ codes: [String]) -> [Int] {
        var ranks = Array(repeating: 0, count: codes.count)
        for (place, index) in codes.indices.sorted(by: { codes[$0] < codes[$1] }).enumerated() { ranks[index] = place }
        return ranks
    }

    /// `values[i]` is client i's total over the ABC window (kopecks or a count).
    public static func abc(_ values: [Int64], ranks: [Int]) -> [ABCClass] {
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : ranks[$0] < ranks[$1] }
        let total = values.reduce(Int128(0)) { $0 + Int128($1) }
        // c_i = 100·cum_i/T; multiplied through by |T| so that the walk stays in integers.
        var cumulative = Int128(0)
        let c: [Int128] = order.map { index in
            cumulative += Int128(values[index])
            return total == 0 ? 0 : (total > 0 ? 100 * cumulative : -100 * cumulative)
        }
        let (a, b) = AdaptiveWalk.split(c)
        var classes = Array(repeating: ABCClass.C, count: values.count)
        for (place, index) in order.enumerated() where place < a + b { classes[index] = place < a ? .A : .B }
        return classes
    }

    /// The same walk on the CVs sorted descending: Z, then Y, and X for all it does not reach.
    public static func xyz(_ cvs: [Double], ranks: [Int]) -> [XYZClass] {
        let order = cvs.indices.sorted { cvs[$0] != cvs[$1] ? cvs[$0] > cvs[$1] : ranks[$0] < ranks[$1] }
        let total = cvs.reduce(0, +)
        var cumulative = 0.0
        let c: [Double] = order.map { index in
            cumulative += cvs[index]
            return total == 0 ? 0 : 100 * cumulative / total
        }
        let (z, y) = AdaptiveWalk.split(c)
        var classes = Array(repeating: XYZClass.X, count: cvs.count)
        for (place, index) in order.enumerated() where place < z + y { classes[index] = place < z ? .Z : .Y }
        return classes
    }

    /// CV = |σ·100/mean| over k sub-periods, 0 when the mean is 0; to six decimals, so that
    /// equal series reached by different sums (30, 0, 0 and 0, 0, 5 both give 141.421356) tie
    /// exactly and fall to the code order.
    public static func coefficientOfVariation(_ moments: Moments, subPeriods k: Int) -> Double {
        guard moments.sum != 0, k > 0 else { return 0 }
        // σ/mean = √(k·Σx² − (Σx)²) / |Σx|: exact integers up to the square root.
        let radicand = Int128(k) * moments.sumOfSquares - moments.sum * moments.sum
        let cv = 100 * Self.double(radicand).squareRoot() / Self.double(moments.sum.magnitude)
        return (cv * 1e6).rounded() / 1e6
    }

    /// The standard library's Int128 → Double goes through a generic path that costs more than
    /// the rest of the CV; two 64-bit halves do it directly.
    static func double<T: BinaryInteger>(_ value: T) -> Double {
        let wide = Int128(value)
        return Double(Int64(truncatingIfNeeded: wide >> 64)) * 18_446_744_073_709_551_616.0 + Double(UInt64(truncatingIfNeeded: wide))
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
