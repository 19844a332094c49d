import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Pages register their routes from `Site` and build their links with it; the links a template
/// writes by hand are held to the same routes here, so a renamed route fails a test, not a user.
@Suite struct SiteLinkTests {
    struct Link: CustomStringConvertible {
        var file: String
        var attribute: String
        var path: [String]
        var description: String { "\(file): \(attribute)=\"/\(path.joined(separator: "/"))\"" }
    }

    /// `href="/…"`, `action="/…"` and `data-…="/…"` literals, the query dropped; a segment holding
    /// a Leaf expression (`#(id)`, `#if(…)…#endif`) stands for any value.
    static func links(in directory: String, publicDirectory: String) throws -> [Link] {
        let pattern = try NSRegularExpression(pattern: #"\b(href|action|formaction|data-[a-z-]+)="(/[^"?#]*[^"]*)""#)
        var found: [Link] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".leaf") {
            let text = try String(contentsOfFile: directory + name, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let attribute = Range(match.range(at: 1), in: text), let value = Range(match.range(at: 2), in: text) else { continue }
                let bare = String(text[value]).components(separatedBy: "?")[0]
                // `/#(…)` alone is a link computed by the page: nothing to check by hand.
                guard !bare.hasPrefix("/#("), !bare.hasPrefix("/api/"), bare != "/" else { continue }
                // Files of Public/ (the style sheet) are served as files, not routes.
                if FileManager.default.fileExists(atPath: publicDirectory + bare.dropFirst()) { continue }
                found.append(Link(file: name, attribute: String(text[attribute]), path: bare.split(separator: "/").map(String.init)))
            }
        }
        return found
    }

    static func serves(_ routes: [Route], _ link: Link) -> Bool {
        let methods: [HTTPMethod] = link.attribute == "action" || link.attribute == "formaction" ? [.POST, .GET] : [.GET]
        return routes.contains { route in
            guard methods.contains(route.method), route.path.count == link.path.count else { return false }
            return zip(route.path, link.path).allSatisfy { component, segment in
                if segment.contains("#") { return true }
                switch component {
                case .constant(let value): return value == segment
                case .parameter: return true
                case .anything, .catchall: return true
                }
            }
        }
    }

    @Test func everyLinkATemplateWritesLeadsToARoute() async throws {
        try await withSdelka(.sqlite, serving: false) { app in
            let links = try Self.links(in: app.directory.viewsDirectory, publicDirectory: app.directory.publicDirectory)
            #expect(links.count > 100, "the templates' links were found: \(links.count)")
            let broken = links.filter { !Self.serves(app.routes.all, $0) }
            #expect(broken.isEmpty, "links to no route: \(broken)")
        }
    }

    @Test func aLinkToARenamedRouteIsCaught() throws {
        let routes = [Route(method: .GET, path: ["deals", ":id"], responder: Responder404(), requestType: Request.self, responseType: Response.self)]
        #expect(Self.serves(routes, Link(file: "t", attribute: "href", path: ["deals", "#(id)"])))
        #expect(!Self.serves(routes, Link(file: "t", attribute: "href", path: ["transactions", "#(id)"])))
        #expect(!Self.serves(routes, Link(file: "t", attribute: "action", path: ["deals", "#(id)", "stage"])))
    }

    struct Responder404: AsyncResponder {
        func respond(to request: Request) async throws -> Response { Response(status: .notFound) }
    }
}
