/// One mailbox of an address header: `Иван Петров <ivan@example.ru>` is the name «Иван
/// Петров» and the address `ivan@example.ru`.
public struct MailAddress: Sendable, Equatable, Hashable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name?.isEmpty == true ? nil : name
        self.address = address
    }

    /// The mailboxes of a header such as `To:` (already unfolded and with encoded words
    /// decoded): commas inside quotes, angle brackets and comments do not split; groups
    /// (`team: a@b, c@d;`) give their members. Entries without an `@` are skipped.
    public static func list(_ header: String) -> [MailAddress] {
        var result: [MailAddress] = []
        for entry in splitOutsideQuotes(header) {
            var text = entry
            if let colon = firstIndexOutsideQuotes(of: ":", in: text) {   // a group's name
                text = String(text[text.index(after: colon)...])
            }
            text = text.replacingOccurrences(of: ";", with: "")
            if let parsed = mailbox(text) { result.append(parsed) }
        }
        return result
    }

    /// The mailboxes of a header, or nil when any entry is not a mailbox (for checking what
    /// a user typed: `a@b.ru, "Петров, Иван" <c@d.ru>` is two).
    public static func strictList(_ header: String) -> [MailAddress]? {
        var result: [MailAddress] = []
        for entry in splitOutsideQuotes(header) {
            guard let parsed = mailbox(entry) else { return nil }
            result.append(parsed)
        }
        return result
    }

    /// How the address is written in a header, the name quoted when it needs to be (the
    /// caller encodes non-ASCII names).
    public var display: String {
        guard let name else { return address }
        let needsQuotes = name.contains { "()<>[]:;@\\,.\"".contains($0) }
        let shown = needsQuotes ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" : name
        return "\(shown) <\(address)>"
    }

    private static func mailbox(_ text: String) -> MailAddress? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close {
            let address = String(trimmed[trimmed.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
            guard address.contains("@") else { return nil }
            return MailAddress(name: unquote(String(trimmed[..<open])), address: address)
        }
        // `addr@host (Name)` — the old comment form.
        var address = trimmed, name: String?
        if let open = trimmed.firstIndex(of: "("), let close = trimmed.lastIndex(of: ")"), open < close {
            name = String(trimmed[trimmed.index(after: open)..<close])
            address = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
        }
        guard address.contains("@"), !address.contains(where: \.isWhitespace) else { return nil }
        return MailAddress(name: name, address: address)
    }

    private static func unquote(_ text: String) -> String? {
        var name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
        }
        return name.isEmpty ? nil : name
    }

    private static func splitOutsideQuotes(_ text: String) -> [String] {
        var parts: [String] = [], current = "", quoted = false, angle = 0, comment = 0, escaped = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\" where quoted: escaped = true
            case "\"": quoted.toggle()
            case "<" where !quoted: angle += 1
            case ">" where !quoted: angle = max(0, angle - 1)
            case "(" where !quoted: comment += 1
            case ")" where !quoted: comment = max(0, comment - 1)
            case "," where !quoted && angle == 0 && comment == 0:
                parts.append(current); current = ""; continue
            default: break
            }
            current.append(ch)
        }
        parts.append(current)
        return parts.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    private static func firstIndexOutsideQuotes(of target: Character, in text: String) -> String.Index? {
        var quoted = false, angle = false
        for index in text.indices {
            switch text[index] {
            case "\"": quoted.toggle()
            case "<": angle = true
            case ">": angle = false
            case target where !quoted && !angle: return index
            default: break
            }
        }
        return nil
    }
}
