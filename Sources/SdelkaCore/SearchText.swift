/// The normalised form of text for searching: SQLite's lower() and LIKE fold only ASCII, so
/// Sdelka writes a lower-cased copy (Unicode rules, ё → е, spaces collapsed) beside the text
/// and searches that on both databases.
public enum SearchText {
    public static func normalize(_ parts: String?...) -> String {
        normalize(parts)
    }

    /// One pass over the Unicode scalars, with fast paths for ASCII and Cyrillic: imports
    /// normalise every row, and Character-level processing was a large part of an import.
    public static func normalize(_ parts: [String?]) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for part in parts {
            guard let part else { continue }
            for scalar in part.unicodeScalars {
                if isSpace(scalar) {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(" "); pendingSpace = false }
                appendLowered(scalar, to: &out)
            }
            pendingSpace = !out.isEmpty
        }
        return String(out)
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// Lower case with ё folded into е.
    static func appendLowered(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        let value = scalar.value
        switch value {
        case 0x41...0x5A, 0x410...0x42F: out.append(Unicode.Scalar(value + 0x20)!)
        case 0..<0x80, 0x430...0x44F: out.append(scalar)
        case 0x401, 0x451: out.append("е")
        default: out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
    }

    /// Leading and trailing white space removed, without Foundation.
    public static func trimmed(_ text: some StringProtocol) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }
}
