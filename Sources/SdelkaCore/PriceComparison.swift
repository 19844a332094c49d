import Foundation

/// Our price against competitors' (DOMAIN.md §7): the difference in money and in percent of
/// ours, and who is cheapest and dearest among us and them. Amounts in kopecks; the percent is
/// rounded half away from zero to two decimals; no percent without a price of ours.
public enum PriceComparison {
    public struct Line: Sendable, Equatable {
        public var competitorCents: Int64
        public var differenceCents: Int64?
        public var differencePercent: Decimal?
        public var cheapest: Bool
        public var dearest: Bool
    }

    public enum Position: String, Sendable, Equatable { case cheapest, dearest, between, alone, unknown }

    public static func compare(ours: Int64?, theirs: [Int64]) -> (lines: [Line], ours: Position) {
        let all = theirs + (ours.map { [$0] } ?? [])
        let low = all.min(), high = all.max()
        let lines = theirs.map { price -> Line in
            let difference = ours.map { price - $0 }
            return Line(competitorCents: price, differenceCents: difference, differencePercent: difference.flatMap { percent($0, of: ours ?? 0) },
                        cheapest: price == low && low != high, dearest: price == high && low != high)
        }
        guard let ours else { return (lines, .unknown) }
        if theirs.isEmpty { return (lines, .alone) }
        if low == high { return (lines, .between) }
        return (lines, ours == low ? .cheapest : ours == high ? .dearest : .between)
    }

    /// `part` as a percent of `whole`, two decimals; nil when `whole` is zero.
    public static func percent(_ part: Int64, of whole: Int64) -> Decimal? {
        guard whole != 0 else { return nil }
        // In integers, hundredths of a percent rounded half away from zero; Decimal only when
        // the product would not fit (amounts near a trillion).
        let (scaled, overflow) = part.multipliedReportingOverflow(by: 10_000)
        guard !overflow, whole != Int64.min else {
            var value = Decimal(part) * 100 / Decimal(whole), rounded = Decimal()
            NSDecimalRound(&rounded, &value, 2, .plain)
            return rounded
        }
        let negative = (scaled < 0) != (whole < 0)
        let a = scaled.magnitude, b = whole.magnitude
        let hundredths = a / b + (a % b * 2 >= b ? 1 : 0)
        return Decimal(sign: negative && hundredths != 0 ? .minus : .plus, exponent: -2, significand: Decimal(hundredths))
    }
}
