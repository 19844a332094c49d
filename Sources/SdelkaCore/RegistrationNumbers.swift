/// Russian registration numbers: INN, KPP, OGRN and OGRNIP (DOMAIN.md §1). Each check returns
/// nil for a valid number, or the rule it breaks in words a user understands.
public enum RegistrationNumbers {
    static let inn10Weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    static let inn11Weights = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
    static let inn12Weights = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]

    /// INN: 10 digits for legal entities, 12 for sole proprietors and individuals, with the
    /// FNS check digits (weighted sum mod 11 mod 10).
    public static func checkINN(_ inn: String, legalForm: LegalForm) -> String? {
        let expected = legalForm == .legalEntity || legalForm == .foreignLegalEntity ? 10 : 12
        guard let digits = digits(inn) else { return "must contain digits only" }
        guard digits.count == expected else {
            return "must be \(expected) digits for \(expected == 10 ? "a legal entity" : "a sole proprietor or an individual")"
        }
        if expected == 10 {
            let check = checkDigit(digits, weights: inn10Weights)
            return check == digits[9] ? nil : "check digit does not match: the 10th digit should be \(check)"
        }
        let eleventh = checkDigit(digits, weights: inn11Weights)
        if eleventh != digits[10] { return "check digit does not match: the 11th digit should be \(eleventh)" }
        let twelfth = checkDigit(digits, weights: inn12Weights)
        return twelfth == digits[11] ? nil : "check digit does not match: the 12th digit should be \(twelfth)"
    }

    /// KPP: 9 characters, digits except positions 5–6, which may be A–Z; legal entities only.
    public static func checkKPP(_ kpp: String, legalForm: LegalForm) -> String? {
        guard legalForm == .legalEntity || legalForm == .foreignLegalEntity else {
            return "applies to legal entities only"
        }
        // Byte by byte first: a valid KPP is nine ASCII bytes, and Character's Unicode
        // properties cost imports more than the rest of a counterparty's checks.
        let bytes = Array(kpp.utf8)
        if bytes.count == 9, bytes.indices.allSatisfy({ index in
            let byte = bytes[index]
            return (0x30...0x39).contains(byte) || ((4...5).contains(index) && (0x41...0x5A).contains(byte))
        }) { return nil }
        let characters = Array(kpp)
        guard characters.count == 9 else { return "must be 9 characters" }
        for (index, character) in characters.enumerated() {
            let isDigit = character.isASCII && character.isNumber
            let isLetter = character.isASCII && character.isUppercase
            if (4...5).contains(index) ? !(isDigit || isLetter) : !isDigit {
                return "must be digits, with capital Latin letters allowed only in positions 5–6"
            }
        }
        return nil
    }

    /// OGRN (13 digits, last = first 12 mod 11 mod 10) for legal entities; OGRNIP (15 digits,
    /// last = first 14 mod 13 mod 10) for sole proprietors; none for individuals.
    public static func checkOGRN(_ ogrn: String, legalForm: LegalForm) -> String? {
        guard let digits = digits(ogrn) else { return "must contain digits only" }
        switch legalForm {
        case .individual:
            return "does not apply to individuals"
        case .soleProprietor:
            guard digits.count == 15 else { return "must be 15 digits (OGRNIP) for a sole proprietor" }
            let check = remainder(of: digits.prefix(14), modulo: 13) % 10
            return check == digits[14] ? nil : "check digit does not match: the last digit should be \(check)"
        case .legalEntity, .foreignLegalEntity:
            guard digits.count == 13 else { return "must be 13 digits for a legal entity" }
            let check = remainder(of: digits.prefix(12), modulo: 11) % 10
            return check == digits[12] ? nil : "check digit does not match: the last digit should be \(check)"
        }
    }

    /// A legal entity's INN from its first nine digits, with the check digit computed
    /// (for demo and test data).
    public static func legalEntityINN(_ firstNine: String) -> String? {
        guard firstNine.count == 9, let digits = digits(firstNine) else { return nil }
        return firstNine + String(checkDigit(digits, weights: inn10Weights))
    }

    /// All three at once, as field errors; empty values are not checked.
    public static func validate(inn: String?, kpp: String?, ogrn: String?, legalForm: LegalForm) -> FieldErrors {
        var errors = FieldErrors()
        if let inn, !inn.isEmpty, let problem = checkINN(inn, legalForm: legalForm) { errors.add("inn", problem) }
        if let kpp, !kpp.isEmpty, let problem = checkKPP(kpp, legalForm: legalForm) { errors.add("kpp", problem) }
        if let ogrn, !ogrn.isEmpty, let problem = checkOGRN(ogrn, legalForm: legalForm) { errors.add("ogrn", problem) }
        return errors
    }

    private static func digits(_ text: String) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard (0x30...0x39).contains(byte) else { return nil }
            result.append(Int(byte - 0x30))
        }
        return result
    }

    private static func checkDigit(_ digits: [Int], weights: [Int]) -> Int {
        zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11 % 10
    }

    /// A long decimal number mod m, digit by digit (14 digits fit Int, but this never overflows).
    private static func remainder(of digits: ArraySlice<Int>, modulo m: Int) -> Int {
        digits.reduce(0) { ($0 * 10 + $1) % m }
    }
}
