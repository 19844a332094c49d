import Foundation

/// A business date (`YYYY-MM-DD`) with no time and no zone: a sale's date, a classification date.
public struct CalendarDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Self.days(inMonth: month, of: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The number of days of a month in the Gregorian calendar.
    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The first day of the month `months` months after (or before, when negative) this one,
    /// held to years 1…9999 so that no window or period arithmetic can trap.
    public func firstOfMonth(addingMonths months: Int) -> CalendarDate {
        let index = max(12, min(9999 * 12 + 11, (year * 12 + month - 1).addingSaturated(months)))
        return CalendarDate(unchecked: index / 12, index % 12 + 1, 1)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// The moment this day starts in the given zone.
    public func start(in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: Double(dayNumber) * 86_400)
    }

    /// The date `days` later (earlier when negative), held to 0001-01-01…9999-12-31: the day
    /// after the last date is the last date, never a trap.
    public func adding(days: Int) -> CalendarDate {
        let target = max(Self.firstDayNumber, min(Self.lastDayNumber, dayNumber.addingSaturated(days)))
        return CalendarDate(dayNumber: target) ?? .first
    }

    public var next: CalendarDate { adding(days: 1) }

    /// The calendar date of a moment in the given zone (business dates are in the company's zone).
    public init(_ date: Date, in zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.era, .year, .month, .day], from: date)
        guard let year = c.year, let month = c.month, let day = c.day else { self = .first; return }
        if c.era == 0 || year < 1 { self = .first } else if year > 9999 { self = .last } else {
            self = CalendarDate(year: year, month: month, day: day) ?? .first
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(accepting: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: Self.acceptedMessage))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
