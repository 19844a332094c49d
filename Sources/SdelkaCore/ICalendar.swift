import Foundation

/// An iCalendar (RFC 5545) document of events: text escaped, times in UTC, lines folded at
/// 75 octets, CRLF line ends — what calendar apps subscribe to.
public struct ICalendar: Sendable {
    public struct Event: Sendable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var description: String?
        public var location: String?
        public var stamp: Date
        public init(uid: String, start: Date, end: Date, summary: String, description: String? = nil, location: String? = nil, stamp: Date) {
            self.uid = uid; self.start = start; self.end = end; self.summary = summary
            self.description = description; self.location = location; self.stamp = stamp
        }
    }

    public var name: String
    public var events: [Event]

    public init(name: String, events: [Event]) {
        self.name = name
        self.events = events
    }

    public var text: String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Sdelka//CRM//RU", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + Self.escape(name)]
        for e in events {
            lines += ["BEGIN:VEVENT", "UID:" + e.uid, "DTSTAMP:" + Self.utc(e.stamp), "DTSTART:" + Self.utc(e.start), "DTEND:" + Self.utc(e.end),
                      "SUMMARY:" + Self.escape(e.summary)]
            if let d = e.description, !d.isEmpty { lines.append("DESCRIPTION:" + Self.escape(d)) }
            if let l = e.location, !l.isEmpty { lines.append("LOCATION:" + Self.escape(l)) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Backslash, semicolon, comma and line breaks escaped as RFC 5545 §3.3.11 says.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(c)
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next line after a space, never splitting a
    /// UTF-8 character.
    public static func fold(_ line: String) -> String {
        var result = "", count = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.unicodeScalars.append(scalar)
            count += size
        }
        return result
    }

    public static func utc(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
