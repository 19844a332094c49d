import Foundation

/// The text of a mailing with `{{placeholder}}`s (DOMAIN.md §7): the names it may use are
/// fixed, so a misspelt one is refused when the mailing is saved instead of going out blank.
public struct MailingTemplate: Sendable, Equatable {
    public static let placeholders: [String] = [
        "partner.name", "contact.name", "contact.firstName", "manager.name", "manager.phone",
        "deal.name", "deal.amount", "survey.link", "unsubscribe.link",
    ]

    public enum Piece: Sendable, Equatable {
        case text(String)
        case value(String)
    }

    public let pieces: [Piece]

    /// Splits `text` at `{{name}}` (spaces inside the braces allowed); a `{{` with no closing
    /// braces stays text.
    public init(_ text: String) {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            pieces.append(.value(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    /// The placeholders that are not among `placeholders`, in order of appearance, once each.
    public var unknown: [String] {
        var seen = Set<String>()
        return pieces.compactMap {
            guard case .value(let name) = $0, !Self.placeholders.contains(name), seen.insert(name).inserted else { return nil }
            return name
        }
    }

    public var uses: Set<String> {
        Set(pieces.compactMap { if case .value(let name) = $0 { name } else { nil } })
    }

    /// The text for one recipient; a known placeholder with no value for them is empty.
    /// `escape` applies to the values only (HTML bodies escape them, plain text does not).
    public func render(_ values: [String: String], escape: (String) -> String = { $0 }) -> String {
        pieces.map {
            switch $0 {
            case .text(let text): text
            case .value(let name): escape(values[name] ?? "")
            }
        }.joined()
    }

    /// For HTML bodies: the five characters that change meaning in HTML text and attributes.
    public static func escapeHTML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The first word of a person's name as Russians write it: «Иванова Мария Петровна» is
    /// surname first, so a three-word name gives its second word; otherwise the first word.
    public static func firstName(of fullName: String) -> String {
        let words = fullName.split(whereSeparator: \.isWhitespace)
        if words.count == 3 { return String(words[1]) }
        return words.first.map(String.init) ?? ""
    }
}

extension CalendarDate {
    /// Whether someone born on `birth` has a birthday on this date; those born on 29 February
    /// celebrate on the 28th in common years.
    public func isBirthday(of birth: CalendarDate) -> Bool {
        if birth.month == 2, birth.day == 29, month == 2, CalendarDate.days(inMonth: 2, of: year) == 28 { return day == 28 }
        return month == birth.month && day == birth.day
    }
}
