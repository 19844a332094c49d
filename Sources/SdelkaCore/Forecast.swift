import Foundation

/// The probability forecast of some open deals (DOMAIN.md §6): their potential, and the
/// potential weighted by each deal's probability — what the deals are expected to bring.
public struct ForecastTotals: Equatable, Sendable {
    public private(set) var count = 0
    public private(set) var potentialCents: Int64 = 0
    /// Σ potential × probability ÷ 100, exact (cents × tenths of a percent).
    private var weightedMillicentPercent: Int128 = 0
    private var probabilityTenths: Int64 = 0

    public init() {}

    /// `probability` as DealProbability gives it: 0–100 with one decimal.
    public mutating func add(potentialCents: Int64?, probability: Decimal) {
        let tenths = Int64(truncating: (probability * 10) as NSNumber)
        count += 1
        self.potentialCents +| (potentialCents ?? 0)
        weightedMillicentPercent += Int128(potentialCents ?? 0) * Int128(tenths)
        probabilityTenths += tenths
    }

    public mutating func add(_ other: ForecastTotals) {
        count += other.count
        potentialCents +| other.potentialCents
        weightedMillicentPercent += other.weightedMillicentPercent
        probabilityTenths += other.probabilityTenths
    }

    /// The weighted potential rounded to kopecks (half away from zero).
    public var weightedCents: Int64 {
        let (quotient, remainder) = weightedMillicentPercent.quotientAndRemainder(dividingBy: 1000)
        return Int64(clamping: quotient + (abs(remainder) >= 500 ? (remainder < 0 ? -1 : 1) : 0))
    }

    /// The mean probability of the deals, one decimal; nil for none.
    public var meanProbability: Decimal? {
        count == 0 ? nil : Funnel.rounded(Decimal(probabilityTenths) / Decimal(10 * count), scale: 1)
    }
}
