import Foundation

/// Russian text in Latin letters for SMS (a Latin message fits 160 characters, a Cyrillic one
/// 70): the passport-style table, capitals kept, the hard and soft signs dropped.
public enum Transliteration {
    static let table: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y",
        "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
        "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    ]

    public static func latin(_ text: String) -> String {
        var out = ""
        for c in text {
            let lower = Character(c.lowercased())
            guard let latin = table[lower] else { out.append(c); continue }
            out += c == lower || latin.isEmpty ? latin : latin.prefix(1).uppercased() + latin.dropFirst()
        }
        return out
    }
}
