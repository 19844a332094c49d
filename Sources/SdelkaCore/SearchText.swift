/// The normalised form of text for searching: SQLite's lower() and LIKE fold only ASCII, so
/// Sdelka writes a lower-cased copy (Unicode rules, ё → е, spaces collapsed) beside the text
/// and searches that on both databases.
public enum SearchText {
    public static func normalize(_ parts: String?...) -> String {
        normalize(parts)
    }

    public static func normalize(_ parts: [String?]) -> String {
        parts.compactMap { $0 }
            .joined(separator: " ")
            .lowercased()
            .replacingOccurrences(of: "ё", with: "е")
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }
}
