/// The normalised form of a partner's name for duplicate search (DOMAIN.md §1): case, quotes,
/// legal-form words (ООО, АО, ИП, LLC…) and Cyrillic/Latin look-alikes do not make two names
/// different. `ООО "Ромашка"`, `ромашка ооо` and `OOO «Pомашка»` (Latin O and P) all give
/// `ромашка`.
public enum PartnerName {
    static let legalFormWords: Set<String> = [
        "ооо", "оао", "зао", "пао", "ао", "ип", "нао", "нко", "ано", "гуп", "муп", "фгуп", "тоо", "ук", "пк", "кфх",
        "llc", "ltd", "inc", "gmbh", "ag", "sa", "plc", "corp", "co", "jsc", "ojsc", "cjsc", "pjsc",
        "общество", "ограниченной", "ответственностью", "с", "акционерное", "публичное", "закрытое", "открытое",
        "индивидуальный", "предприниматель", "limited", "company", "corporation",
    ]

    /// Latin letters that look like Cyrillic ones, mapped to the Cyrillic letter.
    static let lookAlikes: [Character: Character] = [
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о",
        "p": "р", "t": "т", "x": "х", "y": "у",
    ]

    public static func key(_ name: String) -> String {
        let lowered = String(name.lowercased().map { $0 == "ё" ? "е" : $0 })
        let words = lowered.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        return words.compactMap { word -> String? in
            // Look-alikes are folded only in words that mix scripts or would read as Cyrillic,
            // so a word typed with a stray Latin letter matches its Cyrillic twin.
            let folded = fold(word)
            return legalFormWords.contains(folded) || legalFormWords.contains(String(word)) ? nil : folded
        }.joined(separator: " ")
    }

    private static func fold(_ word: Substring) -> String {
        let hasCyrillic = word.contains { ("а"..."я").contains($0) }
        let allLookAlike = word.allSatisfy { lookAlikes[$0] != nil || !$0.isASCII }
        guard hasCyrillic || allLookAlike else { return String(word) }
        return String(word.map { lookAlikes[$0] ?? $0 })
    }
}
