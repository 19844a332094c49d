import Foundation
import Testing
import Vapor
@testable import Sdelka

@Suite struct OpenAPITests {
    /// Every API route the app registers is described in `Resources/openapi.json`.
    @Test func everyRouteIsInTheDocument() async throws {
        try await withSdelka(.sqlite) { app in
            let reply = try await API(app: app).get("/api/v1/openapi.json")
            #expect(reply.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(reply.text.utf8)) as? [String: Any])
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var missing: [String] = []
            for route in app.routes.all {
                let parts = route.path.map { component -> String in
                    switch component {
                    case .constant(let text): return text
                    case .parameter(let name): return "{\(name)}"
                    case .anything: return "*"
                    case .catchall: return "**"
                    }
                }
                guard parts.starts(with: ["api", "v1"]) else { continue }
                let path = "/" + parts.dropFirst(2).joined(separator: "/")
                let method = route.method.rawValue.lowercased()
                if paths[path]?[method] == nil { missing.append("\(route.method.rawValue) \(path)") }
            }
            #expect(missing.isEmpty, "routes missing from openapi.json: \(missing.sorted())")
        }
    }
}
