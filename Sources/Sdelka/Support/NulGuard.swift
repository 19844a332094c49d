import Vapor

/// Refuses a JSON or form body that carries a NUL character (`\u0000`, `%00`): no name or text
/// holds one, PostgreSQL refuses it in text (which answered 500), and SQLite's text functions
/// stop at it. Files (multipart, CSV) pass untouched.
struct NulGuardMiddleware: AsyncMiddleware {
    static let refusal = APIError.malformed("Text must not contain the NUL character (\\u0000).")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let body = request.body.data, let type = request.headers.contentType {
            if type == .json, Self.containsEscapedNul(body) { throw Self.refusal }
            if type == .urlEncodedForm, Self.contains(body, Array("%00".utf8)) { throw Self.refusal }
        }
        return try await next.respond(to: request)
    }

    /// `\u0000` in any case, or a raw 0 byte (which JSON does not allow either).
    static func containsEscapedNul(_ body: ByteBuffer) -> Bool {
        let bytes = body.readableBytesView
        if bytes.contains(0) { return true }
        return contains(body, Array("\\u0000".utf8))
    }

    static func contains(_ body: ByteBuffer, _ needle: [UInt8]) -> Bool {
        let bytes = Array(body.readableBytesView)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] == needle[0] {
            var matched = true
            for offset in 1..<needle.count where Self.lower(bytes[start + offset]) != Self.lower(needle[offset]) {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    private static func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
}
