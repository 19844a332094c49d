import Foundation

/// Money is exact: `Decimal` in Swift and JSON, whole kopecks (cents) as a 64-bit integer in
/// the database, so that SQL sums are exact and fast on SQLite and PostgreSQL alike.
public enum Money {
    /// The amount in cents, or nil when it has more than two decimals or does not fit.
    public static func cents(_ amount: Decimal) -> Int64? { scaled(amount, decimals: 2) }

    /// The number times 10^`decimals` as an integer (quantities are kept in thousandths), or
    /// nil when it has more decimals than that or does not fit.
    public static func scaled(_ amount: Decimal, decimals: Int) -> Int64? {
        var scaled = amount
        for _ in 0..<decimals { scaled *= 10 }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled, abs(rounded) < Decimal(Int64.max / 2) else { return nil }
        return Int64(truncating: rounded as NSNumber)
    }

    public static func decimal(cents: Int64) -> Decimal {
        Decimal(cents) / 100
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
