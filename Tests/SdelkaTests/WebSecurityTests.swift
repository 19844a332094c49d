import Foundation
import NIOCore
import Testing
import Vapor
@testable import Sdelka

/// Pages cannot be framed or made to run foreign code, redirects stay on this server, and
/// cookies are `Secure` when the browser came over TLS through a proxy the operator trusts.
@Suite struct WebSecurityTests {
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await withSdelka(.sqlite) { app in
            for path in ["/login", "/api/v1/health", "/no-such-page", "/api/v1/no-such-route", "/css/app.css"] {
                let reply = try await API(app: app).get(path)
                #expect(reply.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                #expect(reply.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                let policy = reply.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(policy.contains("frame-ancestors 'none'"), "\(path)")
                #expect(path.hasPrefix("/api/") ? policy.hasPrefix("default-src 'none'") : policy.contains("script-src 'self'"), "\(path): \(policy)")
                #expect(reply.headers.first(name: "Strict-Transport-Security") == nil, "plain HTTP gets no HSTS")
            }
        }
    }

    @Test func signingInRedirectsOnlyToPathsOfThisServer() async throws {
        try await withSdelka(.sqlite) { app in
            for (next, expected) in [("/%5Cevil.example", "/"), ("//evil.example", "/"), ("https://evil.example", "/"), ("/deals?x=1", "/deals?x=1")] {
                var browser = Browser(app: app)
                let login = try await browser.get("/login?next=" + next)
                #expect(!login.html.contains("evil.example"), "\(next) is not even offered")
                var form = ["login": "admin", "password": adminPassword, "next": next.removingPercentEncoding ?? next]
                form["_csrf"] = Browser.csrf(in: login.html)
                let signedIn = try await browser.send(.POST, "/login", form: form)
                #expect(signedIn.status == .seeOther && signedIn.location == expected, "\(next) → \(signedIn.location ?? "-")")
            }
        }
    }

    @Test func behindATrustedProxyTheClientAndItsTLSAreBelieved() async throws {
        try await withSdelka(.sqlite, configuring: { $0.trustedProxies = ["10.0.0.5"] }) { app in
            func request(from peer: String, _ headers: [(String, String)]) throws -> Request {
                Request(application: app, method: .GET, url: "/", headers: HTTPHeaders(headers),
                        remoteAddress: try SocketAddress(ipAddress: peer, port: 40000), on: app.eventLoopGroup.next())
            }
            let proxied = try request(from: "10.0.0.5", [("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.7, 10.0.0.5")])
            #expect(proxied.cameOverTLS && proxied.clientAddress == "203.0.113.7")
            let forged = try request(from: "198.51.100.9", [("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.7")])
            #expect(!forged.cameOverTLS && forged.clientAddress == "198.51.100.9", "headers from anyone else are not believed")
        }
        try await withSdelka(.sqlite, configuring: { $0.secureCookies = true }) { app in
            var browser = Browser(app: app)
            let login = try await browser.get("/login")
            let signedIn = try await browser.submit("/login", from: login, ["login": "admin", "password": adminPassword, "next": "/"])
            #expect(signedIn.status == .seeOther)
            let reply = try await API(app: app).get("/login")
            #expect(reply.headers[.setCookie].allSatisfy { $0.contains("Secure") }, "\(reply.headers[.setCookie])")
            #expect(reply.headers.first(name: "Strict-Transport-Security") == "max-age=31536000")
        }
    }
}
