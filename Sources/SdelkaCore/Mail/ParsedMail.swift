import Foundation

/// A received message read into what the journal keeps (RFC 5322 + MIME): decoded headers,
/// the plain and HTML bodies in any charset and transfer encoding, and the attachments.
public struct ParsedMail: Sendable {
    public var subject: String
    public var from: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var date: Date?
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    public var text: String?
    public var html: String?
    public var attachments: [OutgoingMail.Attachment]

    public enum Failure: Error, Equatable { case noHeaders, tooDeep, tooManyParts }

    /// Real letters nest a few levels and carry tens of parts; a hostile one nests thousands
    /// deep (each level a stack frame of the parser) or splits into tens of thousands.
    public static let maxDepth = 50
    public static let maxParts = 500
    private var partCount = 0

    public init(_ raw: [UInt8]) throws {
        let (headerBlock, body) = Self.split(raw[...])
        guard let headerBlock else { throw Failure.noHeaders }
        let headers = MIMEHeaders(headerBlock)
        guard headers["From"] != nil || headers["Subject"] != nil || headers["Message-ID"] != nil else { throw Failure.noHeaders }
        subject = MIMEEncoding.decodeHeader(headers["Subject"] ?? "").trimmingCharacters(in: .whitespaces)
        from = MailAddress.list(MIMEEncoding.decodeHeader(headers["From"] ?? ""))
        to = MailAddress.list(MIMEEncoding.decodeHeader(headers["To"] ?? ""))
        cc = MailAddress.list(MIMEEncoding.decodeHeader(headers["Cc"] ?? ""))
        date = headers["Date"].flatMap(Self.date)
        messageID = Self.messageIDs(headers["Message-ID"] ?? "").first
        inReplyTo = Self.messageIDs(headers["In-Reply-To"] ?? "")
        references = Self.messageIDs(headers["References"] ?? "")
        text = nil
        html = nil
        attachments = []
        try read(part: headers, body: body, depth: 0)
    }

    /// `<a@b> <c@d>` as its ids, brackets kept.
    public static func messageIDs(_ text: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            ids.append(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }

    private mutating func read(part headers: MIMEHeaders, body: ArraySlice<UInt8>, depth: Int) throws {
        partCount += 1
        guard partCount <= Self.maxParts else { throw Failure.tooManyParts }
        let (type, parameters) = MIMEHeaders.parameters(of: headers["Content-Type"] ?? "text/plain; charset=us-ascii")
        let (disposition, dispositionParameters) = MIMEHeaders.parameters(of: headers["Content-Disposition"] ?? "")
        if type.hasPrefix("multipart/"), let boundary = parameters["boundary"], !boundary.isEmpty {
            guard depth < Self.maxDepth else { throw Failure.tooDeep }
            for part in Self.parts(of: body, boundary: boundary) {
                let (block, content) = Self.split(part)
                try read(part: MIMEHeaders(block ?? ""), body: content, depth: depth + 1)
            }
            return
        }
        let bytes = Self.decodeTransfer(body, encoding: headers["Content-Transfer-Encoding"] ?? "7bit")
        let filename = (dispositionParameters["filename"] ?? parameters["name"]).map(MIMEEncoding.decodeHeader)
        let isAttachment = disposition == "attachment" || (filename != nil && !type.hasPrefix("text/"))
        if !isAttachment, type == "text/plain", text == nil {
            text = Self.lines(MIMEEncoding.decode(bytes, charset: parameters["charset"] ?? "us-ascii"))
        } else if !isAttachment, type == "text/html", html == nil {
            html = Self.lines(MIMEEncoding.decode(bytes, charset: parameters["charset"] ?? "us-ascii"))
        } else {
            let name = filename ?? "attachment-\(attachments.count + 1)" + (type == "message/rfc822" ? ".eml" : "")
            attachments.append(.init(filename: name, contentType: type.isEmpty ? "application/octet-stream" : type, data: bytes))
        }
    }

    private static func lines(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }

    private static func decodeTransfer(_ body: ArraySlice<UInt8>, encoding: String) -> [UInt8] {
        switch encoding.lowercased().trimmingCharacters(in: .whitespaces) {
        case "base64": return MIMEEncoding.base64Decode(String(decoding: body, as: UTF8.self)) ?? Array(body)
        case "quoted-printable": return MIMEEncoding.quotedPrintableDecode(Array(body))
        default: return Array(body)
        }
    }

    /// The header block and the body: split at the first empty line (CRLF or bare LF).
    static func split(_ raw: ArraySlice<UInt8>) -> (String?, ArraySlice<UInt8>) {
        var i = raw.startIndex
        if raw.first == 13 || raw.first == 10 {   // no headers at all: all body
            return ("", raw.dropFirst(raw.starts(with: [13, 10]) ? 2 : 1))
        }
        while i < raw.endIndex {
            if raw[i] == 10 {
                let next = raw.index(after: i)
                if next < raw.endIndex, raw[next] == 10 { return (String(decoding: raw[..<i], as: UTF8.self), raw[(next + 1)...]) }
                if next + 1 < raw.endIndex, raw[next] == 13, raw[next + 1] == 10 { return (String(decoding: raw[..<i], as: UTF8.self), raw[(next + 2)...]) }
            }
            i += 1
        }
        return (String(decoding: raw, as: UTF8.self), [])
    }

    /// The parts between `--boundary` lines, up to `--boundary--`; the preamble and the
    /// epilogue are not parts. The line break before a delimiter belongs to the delimiter.
    static func parts(of body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: 10) ?? body.endIndex
            let line = body[lineStart..<lineEnd]
            if line.starts(with: delimiter) {
                if let start = partStart {
                    var end = lineStart
                    if end > start, body[end - 1] == 10 { end -= 1 }
                    if end > start, body[end - 1] == 13 { end -= 1 }
                    parts.append(body[start..<end])
                }
                let rest = line.dropFirst(delimiter.count)
                if rest.starts(with: [45, 45]) { return parts }
                partStart = lineEnd < body.endIndex ? lineEnd + 1 : body.endIndex
            }
            lineStart = lineEnd < body.endIndex ? lineEnd + 1 : body.endIndex
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }

    static func date(_ text: String) -> Date? {
        var value = text
        if let comment = value.firstIndex(of: "(") { value = String(value[..<comment]) }
        value = value.trimmingCharacters(in: .whitespaces)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z", "EEE, d MMM yyyy HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: value) { return date }
        }
        return nil
    }
}
