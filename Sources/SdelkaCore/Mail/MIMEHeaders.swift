/// The header block of a message or of a MIME part: unfolded fields, names compared without
/// case, values still raw (encoded words are decoded by whoever reads a text field).
public struct MIMEHeaders: Sendable {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ block: String) {
        // "\r\n" is one Character in Swift: split the scalars' lines, not the characters'.
        for line in block.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n") {
            if let first = line.first, first == " " || first == "\t" {
                guard !fields.isEmpty else { continue }
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespacesAndNewlines)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]).trimmingCharacters(in: .whitespacesAndNewlines),
                               String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }

    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// A structured field such as `Content-Type: text/plain; charset="koi8-r"`: the lowercased
    /// value before the first `;` and its parameters (names lowercased; RFC 2231 `name*=`
    /// with a charset and percent-encoding, and `name*0*=` continuations, put together).
    public static func parameters(of value: String) -> (value: String, parameters: [String: String]) {
        var parts: [String] = [], current = "", quoted = false
        for ch in value {
            if ch == "\"" { quoted.toggle() }
            if ch == ";", !quoted { parts.append(current); current = ""; continue }
            current.append(ch)
        }
        parts.append(current)
        var parameters: [String: String] = [:]
        var extended: [String: [(Int, String, Bool)]] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            var name = part[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = part[part.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") { raw = String(raw.dropFirst().dropLast()) }
            guard name.contains("*") else { parameters[name] = raw; continue }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            let pieces = name.split(separator: "*")
            let base = String(pieces.first ?? "")
            let index = pieces.count > 1 ? Int(pieces[1]) ?? 0 : 0
            extended[base, default: []].append((index, raw, encoded))
        }
        for (name, pieces) in extended {
            var charset = "utf-8", bytes: [UInt8] = []
            for (position, piece) in pieces.sorted(by: { $0.0 < $1.0 }).enumerated() {
                var text = piece.1
                if piece.2, position == 0 {
                    let sections = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if sections.count == 3 {
                        charset = sections[0].isEmpty ? charset : String(sections[0])
                        text = String(sections[2])
                    }
                }
                bytes += piece.2 ? percentDecoded(text) : Array(text.utf8)
            }
            parameters[name] = MIMEEncoding.decode(bytes, charset: charset)
        }
        return (parts[0].trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }

    private static func percentDecoded(_ text: String) -> [UInt8] {
        var out: [UInt8] = [], bytes = Array(text.utf8), i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let value = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
