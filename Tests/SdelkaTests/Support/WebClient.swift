import Foundation
import Testing
import Vapor
import VaporTesting
@testable import Sdelka

/// A browser stand-in: keeps cookies, reads the CSRF token from forms, posts forms.
struct Browser {
    let app: Application
    var cookies: [String: String] = [:]

    struct Page {
        var status: HTTPStatus
        var location: String?
        var html: String
    }

    mutating func send(_ method: HTTPMethod, _ path: String, form: [String: String]? = nil) async throws -> Page {
        guard let form else { return try await send(method, path, body: ByteBuffer(), contentType: nil) }
        var components = URLComponents()
        components.queryItems = form.map { URLQueryItem(name: $0.key, value: $0.value) }
        return try await send(method, path, body: ByteBuffer(string: components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""),
                              contentType: .urlEncodedForm)
    }

    /// Posts a form with a file, as `multipart/form-data`, with the CSRF token the page carried.
    mutating func upload(_ path: String, from page: Page, _ fields: [String: String], file: (field: String, name: String, content: String)) async throws -> Page {
        let boundary = "----sdelka-test-boundary"
        var text = ""
        for (name, value) in fields.merging(["_csrf": Self.csrf(in: page.html) ?? ""], uniquingKeysWith: { $1 }) {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n"
        text += "Content-Type: text/csv\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
        return try await send(.POST, path, body: ByteBuffer(string: text),
                              contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]))
    }

    mutating func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer, contentType: HTTPMediaType?) async throws -> Page {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { headers.contentType = contentType }
        let response = try await app.testing().performTest(
            request: TestingHTTPRequest(method: method, url: URI(path: path), headers: headers, body: body))
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let expired = header.lowercased().contains("max-age=0") || header.contains("1970")
            if expired { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = String(pair[1]) }
        }
        return Page(status: response.status, location: response.headers.first(name: .location), html: String(buffer: response.body))
    }

    mutating func get(_ path: String) async throws -> Page { try await send(.GET, path) }

    /// Posts a form the way a browser would: with the CSRF token the last page carried.
    mutating func submit(_ path: String, from page: Page, _ fields: [String: String]) async throws -> Page {
        var form = fields
        form["_csrf"] = Self.csrf(in: page.html)
        return try await send(.POST, path, form: form)
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Signs in through the login form.
    static func signedIn(_ app: Application, _ login: String, _ password: String) async throws -> (Browser, Page) {
        var browser = Browser(app: app)
        let loginPage = try await browser.get("/login")
        let result = try await browser.submit("/login", from: loginPage, ["login": login, "password": password, "next": "/"])
        #expect(result.status == .seeOther, "sign in as \(login)")
        let desktop = try await browser.get("/")
        return (browser, desktop)
    }
}
