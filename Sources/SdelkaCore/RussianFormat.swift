import Foundation

/// Russian display formats (UI.md): `28.11.2026`, `14:05`.
public enum RussianFormat {
    public static func date(_ date: Date, zone: TimeZone) -> String {
        let c = components(date, zone)
        return String(format: "%02d.%02d.%04d", c.day!, c.month!, c.year!)
    }

    public static func dateTime(_ date: Date, zone: TimeZone) -> String {
        let c = components(date, zone)
        return String(format: "%02d.%02d.%04d %02d:%02d", c.day!, c.month!, c.year!, c.hour!, c.minute!)
    }

    /// `1 234 567,89 ₽` with no-break spaces; whole cents always shown.
    /// A file's size as Russian files list it: «12 Б», «350 КБ», «1,2 МБ».
    public static func fileSize(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes)\u{00A0}Б" }
        if bytes < 1_048_576 { return "\(max(1, Int((Double(bytes) / 1024).rounded())))\u{00A0}КБ" }
        let tenths = Int((Double(bytes) / 1_048_576 * 10).rounded())
        return "\(tenths / 10),\(tenths % 10)\u{00A0}МБ"
    }

    public static func money(cents: Int64, symbol: String = "₽") -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        var whole = String(magnitude / 100)
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole.removeLast(3)
        }
        groups.insert(whole, at: 0)
        let fraction = String(format: "%02d", Int(magnitude % 100))
        return sign + groups.joined(separator: "\u{00A0}") + "," + fraction + "\u{00A0}" + symbol
    }

    /// `56,7 %`: a decimal comma and a no-break space before the sign.
    public static func percent(_ value: Decimal) -> String {
        "\(value)".replacingOccurrences(of: ".", with: ",") + "\u{00A0}%"
    }

    /// A `YYYY-MM-DD` date as `28.11.2026`; other text unchanged.
    public static func date(_ iso: String) -> String {
        guard let date = CalendarDate(iso) else { return iso }
        return String(format: "%02d.%02d.%04d", date.day, date.month, date.year)
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }
}
