import Foundation

/// The encodings of RFC 2045 and RFC 2047 that mail needs: encoded words in headers, base64
/// and quoted-printable bodies, and the charsets Russian mail arrives in.
public enum MIMEEncoding {
    /// Header text as is when it is printable ASCII, else as UTF-8 base64 encoded words of at
    /// most 75 characters each, folded onto continuation lines and never split inside a
    /// character.
    public static func encodedWords(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) { return text }
        // "=?UTF-8?B?" + 60 base64 characters + "?=" is 72: 45 bytes of text per word.
        var words: [String] = [], chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }

    /// A mailbox for a header: the name encoded when it is not ASCII.
    public static func header(_ address: MailAddress) -> String {
        guard let name = address.name, !name.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) else { return address.display }
        return "\(encodedWords(name)) <\(address.address)>"
    }

    /// Base64 in lines of 76 characters ending in CRLF.
    public static func base64Lines(_ bytes: [UInt8]) -> String {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        var out = ""
        out.reserveCapacity(encoded.count + encoded.count / 38 + 2)
        for start in stride(from: 0, to: encoded.count, by: 76) {
            out += String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self) + "\r\n"
        }
        return out
    }

    /// Decodes the encoded words of a header (`=?charset?B|Q?…?=`), joining adjacent words
    /// as RFC 2047 says (the space between two encoded words is not text).
    public static func decodeHeader(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = "", rest = Substring(text), pendingSpace = ""
        var lastWasWord = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            guard let decoded = decodeWord(in: rest[start.lowerBound...]) else {
                result += pendingSpace + before + "=?"
                pendingSpace = ""
                rest = rest[start.upperBound...]
                lastWasWord = false
                continue
            }
            if !(lastWasWord && before.allSatisfy(\.isWhitespace)) { result += before }
            result += decoded.text
            rest = rest[decoded.end...]
            lastWasWord = true
        }
        return result + rest
    }

    private static func decodeWord(in text: Substring) -> (text: String, end: Substring.Index)? {
        // =?charset?encoding?encoded-text?=
        let parts = text.dropFirst(2)
        guard let q1 = parts.firstIndex(of: "?") else { return nil }
        let charset = String(parts[..<q1]).split(separator: "*").first.map(String.init) ?? ""
        let afterCharset = parts[parts.index(after: q1)...]
        guard let q2 = afterCharset.firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[..<q2].uppercased()
        let payloadStart = afterCharset.index(after: q2)
        guard let endRange = afterCharset[payloadStart...].range(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<endRange.lowerBound]
        guard !payload.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B": guard let data = base64Decode(String(payload)) else { return nil }; bytes = data
        case "Q": bytes = quotedPrintableDecode(Array(payload.replacingOccurrences(of: "_", with: " ").utf8))
        default: return nil
        }
        return (decode(bytes, charset: charset), endRange.upperBound)
    }

    /// Base64 that tolerates line breaks and missing padding.
    public static func base64Decode(_ text: String) -> [UInt8]? {
        var clean = text.filter { !$0.isWhitespace }
        while clean.count % 4 != 0 { clean += "=" }
        return Data(base64Encoded: clean).map { [UInt8]($0) }
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` bytes and soft line breaks.
    public static func quotedPrintableDecode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "=") else { out.append(b); i += 1; continue }
            if i + 1 < bytes.count, bytes[i + 1] == 13 || bytes[i + 1] == 10 {   // soft break
                i += bytes[i + 1] == 13 && i + 2 < bytes.count && bytes[i + 2] == 10 ? 3 : 2
                continue
            }
            if i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 65...70: return b - 55
        case 97...102: return b - 87
        default: return nil
        }
    }

    /// Text in the charset it was sent in; unknown charsets are read as UTF-8, bytes that
    /// are not valid become U+FFFD rather than losing the letter.
    public static func decode(_ bytes: [UInt8], charset: String) -> String {
        switch charset.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) {
        case "windows-1251", "cp1251", "x-cp1251":
            return text(bytes, upperHalf: cp1251)
        case "koi8-r", "koi8r", "koi8-u":
            return text(bytes, upperHalf: koi8r)
        case "iso-8859-1", "latin1", "us-ascii", "ascii":
            return String(bytes.map { Character(UnicodeScalar($0)) })
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func text(_ bytes: [UInt8], upperHalf table: [UnicodeScalar]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(byte < 0x80 ? UnicodeScalar(byte) : table[Int(byte) - 0x80]) }
        return String(scalars)
    }

    private static let koi8r: [UnicodeScalar] = Array(
        "─│┌┐└┘├┤┬┴┼▀▄█▌▐░▒▓⌠■∙√≈≤≥\u{00A0}⌡°²·÷═║╒ё╓╔╕╖╗╘╙╚╛╜╝╞╟╠╡Ё╢╣╤╥╦╧╨╩╪╫╬©юабцдефгхийклмнопярстужвьызшэщчъЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧЪ"
            .unicodeScalars)

    private static let cp1251: [UnicodeScalar] = {
        let low: [UInt32] = [0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
                             0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
                             0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
                             0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457]
        // 0xC0–0xFF are А…я in order.
        return (low + (0x0410...0x044F).map { UInt32($0) }).map { UnicodeScalar($0)! }
    }()
}
