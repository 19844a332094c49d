/// Russian plural forms: 1 сделка, 2 сделки, 5 сделок; 21 сделка, 11 сделок.
public enum RussianPlural {
    public enum Form: Sendable { case one, few, many }

    public static func form(for count: Int) -> Form {
        let n = abs(count) % 100
        if (11...14).contains(n) { return .many }
        switch n % 10 {
        case 1: return .one
        case 2, 3, 4: return .few
        default: return .many
        }
    }

    public static func choose(_ count: Int, one: String, few: String, many: String) -> String {
        switch form(for: count) {
        case .one: return one
        case .few: return few
        case .many: return many
        }
    }
}
