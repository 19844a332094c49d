import Foundation

/// The sales funnel of one deal kind (DOMAIN.md §6): per stage in order, how many deals
/// reached it and how their rows ended, and the conversion to the next stage.
public enum Funnel {
    /// `reached` of the next stage ÷ this one's, four decimals; nil for the last stage or none reached.
    public static func conversions(reached: [Int]) -> [Decimal?] {
        reached.indices.map { index in
            guard index + 1 < reached.count, reached[index] > 0 else { return nil }
            return rounded(Decimal(reached[index + 1]) / Decimal(reached[index]), scale: 4)
        }
    }

    public static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var input = value, result = Decimal()
        NSDecimalRound(&result, &input, scale, .plain)
        return result
    }
}
