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
    static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = [
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "k": "к", "m": "м", "o": "о",
        "p": "р", "t": "т", "x": "х", "y": "у",
    ]

    /// One pass over the scalars (imports compute this for every row).
    public static func key(_ name: String) -> String {
        let lowered = SearchText.lowered(name).unicodeScalars
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func endWord() {
            guard !word.isEmpty else { return }
            let original = String(word)
            let folded = fold(word)
            if !legalFormWords.contains(folded) && !legalFormWords.contains(original) { words.append(folded) }
            word = String.UnicodeScalarView()
        }
        for scalar in lowered {
            if isWordScalar(scalar) { word.append(scalar) } else { endWord() }
        }
        endWord()
        return words.joined(separator: " ")
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x430...0x44F, 0x410...0x42F: return true
        case 0..<0x80: return false
        default: return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
    }

    /// Look-alikes are folded only in words that mix scripts or would read as Cyrillic,
    /// so a word typed with a stray Latin letter matches its Cyrillic twin.
    private static func fold(_ word: String.UnicodeScalarView) -> String {
        let hasCyrillic = word.contains { (0x430...0x44F).contains($0.value) }
        let allLookAlike = word.allSatisfy { lookAlikes[$0] != nil || !$0.isASCII }
        guard hasCyrillic || allLookAlike else { return String(word) }
        var out = String.UnicodeScalarView()
        for scalar in word { out.append(lookAlikes[scalar] ?? scalar) }
        return String(out)
    }
}
