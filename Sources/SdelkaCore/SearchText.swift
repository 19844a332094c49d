/// The normalised form of text for searching: SQLite's lower() and LIKE fold only ASCII, so
/// Sdelka writes a lower-cased copy (Unicode rules, ё → е, spaces collapsed) beside the text
/// and searches that on both databases.
public enum SearchText {
    public static func normalize(_ parts: String?...) -> String {
        normalize(parts)
    }

    /// Written as one pass over the characters: imports normalise every row, and Foundation's
    /// string replacing was the slowest part of an import.
    public static func normalize(_ parts: [String?]) -> String {
        var out = ""
        var pendingSpace = false
        for part in parts {
            guard let part else { continue }
            for character in part.lowercased() {
                if character.isWhitespace {
                    pendingSpace = !out.isEmpty
                    continue
                }
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(character == "ё" ? "е" : character)
            }
            pendingSpace = !out.isEmpty
        }
        return out
    }

    /// Leading and trailing white space removed, without Foundation.
    public static func trimmed(_ text: some StringProtocol) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(text[first...last])
    }
}
