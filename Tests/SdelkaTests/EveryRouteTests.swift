import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Every route the app registers, API and web, answers an empty or unknown request with a
/// client error, never a 500 (a model field read before it was set, a missing row unwrapped):
/// the whole class of traps the fuzzer hunts for, checked on every route in every run, as a
/// viewer, a one-group manager and an admin.
@Suite struct EveryRouteTests {
    @Test(arguments: TestDB.all)
    func emptyRequestsToEveryRouteAreRefusedNotFailed(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let group = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            _ = try await admin.partner("Ромашка", group: group)
            let (manager, _) = try await admin.createUser("walker-manager", role: "manager", groups: [group])
            let (viewer, _) = try await admin.createUser("walker-viewer", role: "viewer", groups: [group])
            for (login, password, api) in [("walker-viewer", "password-walker-viewer", viewer),
                                           ("walker-manager", "password-walker-manager", manager), ("admin", adminPassword, admin)] {
                let failures = try await walk(app, as: api, login: login, password: password)
                #expect(failures.isEmpty, "\(login): \(failures)")
            }
            #expect(try await admin.get("/api/v1/health").status == .ok)
        }
    }

    /// Every route once, as this user; answers the ones that failed on the server.
    func walk(_ app: Application, as api: API, login: String, password: String) async throws -> [String] {
        var (browser, desktop) = try await Browser.signedIn(app, login, password)
        let csrf = Browser.csrf(in: desktop.html) ?? ""
        var failures: [String] = []
        var tried = 0
        for route in app.routes.all {
            let parts = route.path.map { component -> String in
                switch component {
                case .constant(let text): return text
                case .parameter(let name): return name == "kind" ? "partners" : UUID().uuidString
                case .anything, .catchall: return "x"
                }
            }
            let path = "/" + parts.joined(separator: "/")
            // Signing out would end the session the rest of the walk runs in.
            if path.hasSuffix("/logout") { continue }
            tried += 1
            let status: HTTPStatus
            if parts.first == "api" {
                status = try await api.send(route.method, path, json: route.method == .GET ? nil : JSONObject([:])).status
            } else if route.method == .GET {
                status = try await browser.get(path).status
            } else {
                status = try await browser.send(route.method, path, form: ["_csrf": csrf]).status
            }
            if status.code >= 500 { failures.append("\(route.method.rawValue) \(path): \(status.code)") }
        }
        #expect(tried > 200, "walked \(tried) routes")
        return failures
    }
}
