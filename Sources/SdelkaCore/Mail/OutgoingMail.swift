import Foundation

/// A letter as it goes out over SMTP (RFC 5322 with MIME): UTF-8 throughout, the plain text
/// and the HTML as alternatives of one `multipart/alternative`, attachments alongside in a
/// `multipart/mixed`. Bodies are base64, so every line stays short and 7-bit whatever the
/// text, and no server on the way needs 8BITMIME.
public struct OutgoingMail: Sendable, Equatable {
    public struct Attachment: Sendable, Equatable {
        public var filename: String
        public var contentType: String
        public var data: [UInt8]

        public init(filename: String, contentType: String, data: [UInt8]) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var subject: String
    public var text: String?
    public var html: String?
    public var attachments: [Attachment]
    /// With its angle brackets: `<…@host>`.
    public var messageID: String
    public var inReplyTo: String?
    public var references: [String]
    public var date: Date
    /// Further headers as given (ASCII values), such as RFC 8058's `List-Unsubscribe`.
    public var extraHeaders: [Header] = []

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], subject: String, text: String? = nil, html: String? = nil,
                attachments: [Attachment] = [], messageID: String, inReplyTo: String? = nil, references: [String] = [], date: Date) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.date = date
    }

    /// Every address the envelope delivers to.
    public var recipients: [String] { (to + cc).map(\.address) }

    /// The message as sent in SMTP's DATA (CRLF line ends, before dot-stuffing). `boundary`
    /// makes the part separators unique to this letter; "=_" cannot occur in base64.
    public func rendered(boundary: String) -> String {
        var head = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(MIMEEncoding.header(from))",
        ]
        if !to.isEmpty { head.append("To: " + to.map(MIMEEncoding.header).joined(separator: ",\r\n ")) }
        if !cc.isEmpty { head.append("Cc: " + cc.map(MIMEEncoding.header).joined(separator: ",\r\n ")) }
        head.append("Subject: \(MIMEEncoding.encodedWords(subject))")
        head.append("Message-ID: \(messageID)")
        if let inReplyTo { head.append("In-Reply-To: \(inReplyTo)") }
        if !references.isEmpty { head.append("References: " + references.joined(separator: "\r\n ")) }
        for header in extraHeaders { head.append("\(header.name): \(header.value)") }
        head.append("MIME-Version: 1.0")
        let body = attachments.isEmpty ? content(boundary: boundary) : mixed(boundary: boundary)
        return head.joined(separator: "\r\n") + "\r\n" + body
    }

    /// The text, the HTML, or both as alternatives (the plain one first: RFC 2046 puts the
    /// preferred, richer one last). Answers headers, blank line and body.
    private func content(boundary: String) -> String {
        switch (text, html) {
        case let (text?, html?):
            let alt = "=_alt_\(boundary)"
            return "Content-Type: multipart/alternative; boundary=\"\(alt)\"\r\n\r\n"
                + "--\(alt)\r\n" + Self.leaf("text/plain; charset=utf-8", text) + "--\(alt)\r\n" + Self.leaf("text/html; charset=utf-8", html)
                + "--\(alt)--\r\n"
        case let (nil, html?):
            return Self.leaf("text/html; charset=utf-8", html)
        default:
            return Self.leaf("text/plain; charset=utf-8", text ?? "")
        }
    }

    private func mixed(boundary: String) -> String {
        let mix = "=_mix_\(boundary)"
        var out = "Content-Type: multipart/mixed; boundary=\"\(mix)\"\r\n\r\n--\(mix)\r\n" + content(boundary: boundary)
        for attachment in attachments {
            out += "--\(mix)\r\n"
            out += "Content-Type: \(attachment.contentType); name=\"\(MIMEEncoding.encodedWords(attachment.filename))\"\r\n"
            out += "Content-Disposition: attachment; \(Self.filenameParameter(attachment.filename))\r\n"
            out += "Content-Transfer-Encoding: base64\r\n\r\n" + MIMEEncoding.base64Lines(attachment.data)
        }
        return out + "--\(mix)--\r\n"
    }

    private static func leaf(_ type: String, _ body: String) -> String {
        "Content-Type: \(type)\r\nContent-Transfer-Encoding: base64\r\n\r\n" + MIMEEncoding.base64Lines(Array(normalizedLines(body).utf8))
    }

    /// Line ends as CRLF, which is what a text part's canonical form is (RFC 2046 §4.1.1).
    private static func normalizedLines(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
    }

    /// RFC 2231 `filename*=UTF-8''…` for a name that is not plain ASCII.
    public static func filenameParameter(_ name: String) -> String {
        if name.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 && $0 != "\"" && $0 != "\\" }) { return "filename=\"\(name)\"" }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")
        return "filename*=UTF-8''" + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
    }

    public static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
