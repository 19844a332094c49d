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

    private static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }
}
