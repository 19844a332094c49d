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

    /// One pass over the scalars, words taken as slices (imports compute this for every row).
    public static func key(_ name: String) -> String {
        let lowered = SearchText.lowered(name).unicodeScalars
        var words: [String] = []
        var wordStart: String.Index?
        func endWord(_ end: String.Index) {
            guard let start = wordStart else { return }
            wordStart = nil
            let original = String(Substring(lowered[start..<end]))
            let folded = fold(original)
            if !legalFormWords.contains(folded) && !legalFormWords.contains(original) { words.append(folded) }
        }
        var index = lowered.startIndex
        while index < lowered.endIndex {
            if isWordScalar(lowered[index]) { if wordStart == nil { wordStart = index } } else { endWord(index) }
            index = lowered.index(after: index)
        }
        endWord(lowered.endIndex)
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
    private static func fold(_ word: String) -> String {
        let scalars = word.unicodeScalars
        let hasCyrillic = scalars.contains { (0x430...0x44F).contains($0.value) }
        guard hasCyrillic || scalars.allSatisfy({ lookAlikes[$0] != nil || !$0.isASCII }),
              scalars.contains(where: { lookAlikes[$0] != nil }) else { return word }
        var out = String.UnicodeScalarView()
        for scalar in scalars { out.append(lookAlikes[scalar] ?? scalar) }
        return String(out)
    }
}
