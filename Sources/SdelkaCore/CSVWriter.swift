/// Writes CSV the way `CSVParser` reads it (RFC 4180): comma-separated, a field quoted when it
/// holds a comma, a quote or a line break, quotes doubled, lines ended by CRLF.
///
/// A cell that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return) is written after an apostrophe, which Excel and LibreOffice show as
/// text (OWASP's advice on CSV injection); plain numbers such as `-12.50` are left as they are,
/// and the imports take the apostrophe off again, so an export still imports back unchanged.
public enum CSVWriter {
    public static func line(_ fields: [String?]) -> String {
        fields.map { field($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    public static func field(_ value: String) -> String {
        let value = neutralised(value)
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    public static func neutralised(_ value: String) -> String {
        guard let first = value.utf8.first, formulaStarts.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    /// A cell as a file gave it, without the apostrophe an export put before a formula-like
    /// value.
    public static func unprotected(_ value: String) -> String {
        let bytes = value.utf8
        guard bytes.first == UInt8(ascii: "'"), bytes.count > 1, formulaStarts.contains(bytes[bytes.index(after: bytes.startIndex)]) else {
            return value
        }
        return String(value.dropFirst())
    }

    /// `-12`, `+3.5`: a sign, digits, at most one point with digits after it.
    static func isPlainNumber(_ value: String) -> Bool {
        var digits = 0, point = false, afterPoint = 0
        for (index, byte) in value.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "+") where index == 0, UInt8(ascii: "-") where index == 0: continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if point { afterPoint += 1 } else { digits += 1 }
            case UInt8(ascii: ".") where !point: point = true
            default: return false
            }
        }
        return digits > 0 && (!point || afterPoint > 0)
    }
}
