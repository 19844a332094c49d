/// The normalised form of text for searching: SQLite's lower() and LIKE fold only ASCII, so
/// Sdelka writes a lower-cased copy (Unicode rules, ё → е, spaces collapsed) beside the text
/// and searches that on both databases.
public enum SearchText {
    public static func normalize(_ parts: String?...) -> String {
        normalize(parts)
    }

    /// One pass over the Unicode scalars, written out as UTF-8 bytes with fast paths for ASCII
    /// and Cyrillic: imports normalise every row, and appending scalars to a `String` was a
    /// large part of an import.
    public static func normalize(_ parts: [String?]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(parts.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
        var pendingSpace = false
        for part in parts {
            guard let part else { continue }
            for scalar in part.unicodeScalars {
                // Control characters (a NUL ends a string for SQLite's full-text parser) separate
                // words as spaces do.
                if isSpace(scalar) || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(0x20); pendingSpace = false }
                appendLowered(scalar, to: &out)
            }
            pendingSpace = !out.isEmpty
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text in lower case with ё folded into е, spaces kept as they are.
    public static func lowered(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { appendLowered(scalar, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return false
        // No white space from U+0100 to U+167F (Latin, Greek, Cyrillic…): asking Unicode's
        // tables for every Cyrillic letter was a twentieth of a counterparty import.
        case 0x100..<0x1680: return false
        default: return scalar.properties.isWhitespace
        }
    }

    /// Lower case with ё folded into е, as UTF-8.
    static func appendLowered(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let value = scalar.value
        switch value {
        case 0x41...0x5A: out.append(UInt8(value + 0x20))
        case 0..<0x80: out.append(UInt8(value))
        case 0x410...0x42F: appendUTF8(value + 0x20, to: &out)
        case 0x430...0x44F: appendUTF8(value, to: &out)
        case 0x401, 0x451: appendUTF8(0x435, to: &out)
        default: for lower in scalar.properties.lowercaseMapping.unicodeScalars { appendUTF8(lower.value, to: &out) }
        }
    }

    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case ..<0x80: out.append(UInt8(value))
        case ..<0x800:
            out.append(UInt8(0xC0 | value >> 6)); out.append(UInt8(0x80 | value & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | value >> 12)); out.append(UInt8(0x80 | value >> 6 & 0x3F)); out.append(UInt8(0x80 | value & 0x3F))
        default:
            out.append(UInt8(0xF0 | value >> 18)); out.append(UInt8(0x80 | value >> 12 & 0x3F))
            out.append(UInt8(0x80 | value >> 6 & 0x3F)); out.append(UInt8(0x80 | value & 0x3F))
        }
    }

    /// Leading and trailing white space removed, without Foundation. Imports trim every cell,
    /// and almost none has spaces to trim: those come back without a copy.
    public static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return "" }
        if !isSpace(first) && !isSpace(last) { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
              let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[start...end])
    }
}
