import Foundation

/// Money is exact: `Decimal` in Swift and JSON, whole kopecks (cents) as a 64-bit integer in
/// the database, so that SQL sums are exact and fast on SQLite and PostgreSQL alike.
public enum Money {
    /// Amounts and quantities are below a trillion (10^12) in size: far above any real deal
    /// or sale, and low enough that ninety thousand of them still add up within the 64-bit
    /// columns, so that a hostile figure cannot overflow a report.
    public static let limitUnits: Int64 = 1_000_000_000_000
    public static let amountMessage = "must have at most 2 decimals and be less than a trillion"
    public static let quantityMessage = "must have at most 3 decimals and be less than a trillion"

    /// Whether a scaled integer (kopecks at scale 2, thousandths at scale 3) is below the limit.
    public static func isWithinLimit(_ scaled: Int64, decimals: Int) -> Bool {
        var limit = limitUnits
        for _ in 0..<decimals { limit *= 10 }
        return scaled.magnitude < limit.magnitude
    }

    /// The amount in cents, or nil when it has more than two decimals or is not below the limit.
    public static func cents(_ amount: Decimal) -> Int64? { scaled(amount, decimals: 2) }

    /// The number times 10^`decimals` as an integer (quantities are kept in thousandths), or
    /// nil when it has more decimals than that or is not below the limit.
    public static func scaled(_ amount: Decimal, decimals: Int) -> Int64? {
        guard amount.isFinite, abs(amount) < Decimal(limitUnits) else { return nil }
        var scaled = amount
        for _ in 0..<decimals { scaled *= 10 }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else { return nil }
        return Int64(truncating: rounded as NSNumber)
    }

    /// Kopecks as an amount, built from its digits and an exponent of −2: a Decimal division
    /// costs a hundred times more, and reports make one per cell.
    public static func decimal(cents: Int64) -> Decimal {
        Decimal(sign: cents < 0 ? .minus : .plus, exponent: -2, significand: Decimal(cents.magnitude))
    }

    /// Parses "1234.5", "1 234,50" or "-3" (the forms users type and CSV files carry).
    public static func parse(_ text: String) -> Decimal? {
        let cleaned = text.filter { !$0.isWhitespace && $0 != "\u{00A0}" && $0 != "\u{202F}" }
            .replacingOccurrences(of: ",", with: ".")
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              cleaned.filter({ $0 == "." }).count <= 1, cleaned.lastIndex(of: "-").map({ $0 == cleaned.startIndex }) ?? true
        else { return nil }
        return Decimal(string: cleaned, locale: Locale(identifier: "en_US_POSIX"))
    }
}
