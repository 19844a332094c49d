import NIOCore
import Vapor

/// What a request says about how it reached us, believed only from a proxy the operator named
/// (`SDELKA_TRUSTED_PROXIES`): anyone else could send `X-Forwarded-*` headers of their own.
extension Request {
    /// Over TLS: behind a trusted proxy that says `X-Forwarded-Proto: https`, or always with
    /// `SDELKA_SECURE_COOKIES=1` (a TLS terminator that sends no header).
    var cameOverTLS: Bool {
        if application.sdelka.secureCookies { return true }
        guard fromTrustedProxy else { return false }
        let proto = headers.first(name: "X-Forwarded-Proto")?.split(separator: ",").first
        return proto?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }

    /// The client's address: the peer, or, behind trusted proxies, the last address of
    /// `X-Forwarded-For` that is not one of them.
    var clientAddress: String {
        let peer = remoteAddress?.ipAddress ?? "unknown"
        guard fromTrustedProxy else { return peer }
        let chain = headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        return chain.last { !application.sdelka.trustedProxies.contains($0) && !$0.isEmpty } ?? peer
    }

    private var fromTrustedProxy: Bool {
        guard let peer = remoteAddress?.ipAddress else { return false }
        return application.sdelka.trustedProxies.contains(peer)
    }
}

/// Headers that keep pages from being framed, sniffed or made to run foreign code, on every
/// response; the API answers JSON and files, which need no script at all.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let pagePolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    static let apiPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy", request.url.path.hasPrefix("/api/") ? Self.apiPolicy : Self.pagePolicy),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if request.cameOverTLS {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}

extension Request {
    /// This server's address as the client reached it (`https://crm.example.ru`), for links
    /// sent out of the application (survey links, calendar feeds).
    var siteBase: String {
        let host = headers.first(name: .host) ?? "127.0.0.1"
        return (cameOverTLS ? "https" : "http") + "://" + host
    }
}
