/// Exact decimal numbers as scaled integers, parsed straight from the bytes: an import reads
/// millions of quantities and amounts, and going through `Decimal(string:)` costs more than
/// everything else a line needs.
public enum FixedPoint {
    /// "1234.5", "1 234,50", "-3" or "+2" as an integer scaled by 10^`scale` (kopecks for
    /// scale 2); nil when the text is not a number, has more than `scale` decimals, or does not
    /// fit. Spaces (including no-break and thin spaces) group digits; a comma is a decimal point.
    public static func parse(_ text: String, scale: Int) -> Int64? {
        var text = text
        return text.withUTF8 { parse(bytes: $0, scale: scale) }
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>, scale: Int) -> Int64? {
        var value: Int64 = 0
        var negative = false, sawDigit = false, sawPoint = false, decimals = 0, index = 0
        let count = bytes.count
        if index < count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawPoint {
                    decimals += 1
                    if decimals > scale { return nil }
                }
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                if overflow1 || overflow2 { return nil }
                value = sum
                sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: ","):
                if sawPoint { return nil }
                sawPoint = true
            case UInt8(ascii: " "):
                if sawPoint { return nil }
            case 0xC2 where index + 1 < count && bytes[index + 1] == 0xA0: // no-break space
                if sawPoint { return nil }
                index += 1
            case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && bytes[index + 2] == 0xAF: // narrow no-break space
                if sawPoint { return nil }
                index += 2
            default:
                return nil
            }
            index += 1
        }
        guard sawDigit else { return nil }
        for _ in decimals..<scale {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = times
        }
        return negative ? -value : value
    }

    /// The scaled integer as text with exactly the decimals it needs: 123450 at scale 2 is
    /// "1234.5", 300 is "3", -5 is "-0.05".
    public static func text(_ value: Int64, scale: Int) -> String {
        var divisor: Int64 = 1
        for _ in 0..<scale { divisor *= 10 }
        let magnitude = value.magnitude
        let whole = magnitude / UInt64(divisor), fraction = magnitude % UInt64(divisor)
        var out = value < 0 ? "-" : ""
        out += String(whole)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: scale - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            out += "." + digits
        }
        return out
    }
}
