/// Phone numbers in the normalised form used to find a partner by an incoming call:
/// digits only; a Russian number's leading 8 becomes 7, and a bare 10-digit Russian number
/// gets its 7 (DOMAIN.md §1).
public enum Phone {
    public static func normalize(_ text: String) -> String {
        var digits = String(text.filter { $0.isASCII && $0.isNumber })
        if digits.count == 11 && digits.hasPrefix("8") { digits = "7" + digits.dropFirst() }
        else if digits.count == 10 && "3489".contains(digits.first!) { digits = "7" + digits }
        return digits
    }

    /// `+7 (495) 123-45-67` for Russian numbers; other numbers as `+` and their digits.
    public static func display(_ text: String) -> String {
        let digits = Array(normalize(text))
        guard digits.count == 11, digits[0] == "7" else { return digits.isEmpty ? text : "+" + String(digits) }
        let s = String(digits)
        func part(_ from: Int, _ length: Int) -> Substring {
            let start = s.index(s.startIndex, offsetBy: from)
            return s[start..<s.index(start, offsetBy: length)]
        }
        return "+7 (\(part(1, 3))) \(part(4, 3))-\(part(7, 2))-\(part(9, 2))"
    }
}
