import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import Sdelka

/// The databases every database test runs on: SQLite always, PostgreSQL when
/// `SDELKA_TEST_POSTGRES_URL` is set (as `.ci/run` does).
enum TestDB: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var all: [TestDB] {
        ProcessInfo.processInfo.environment["SDELKA_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

let adminPassword = "admin-password"

/// Builds the app exactly as `serve` does, on a fresh database of its own (a temporary SQLite
/// file, or a PostgreSQL schema of its own), runs `body`, and always cleans up. With `serving`
/// false the app is only configured, as a command finds it: nothing has opened the database.
func withSdelka(_ db: TestDB, serving: Bool = true, configuring: (inout AppConfig) -> Void = { _ in },
                _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    let tag = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let location: AppConfig.DatabaseLocation
    let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("sdelka-test-\(tag).sqlite").path
    let schema = "t_\(tag)"
    switch db {
    case .sqlite: location = .sqlite(path: sqlitePath)
    case .postgres: location = .postgres(url: ProcessInfo.processInfo.environment["SDELKA_TEST_POSTGRES_URL"]!, searchPath: [schema])
    }
    var failure: (any Error)?
    do {
        var config = AppConfig(database: location, adminPassword: adminPassword, secret: "test-secret", bcryptCost: 4, connectionsPerLoop: 3)
        // Tests hand messages on themselves, so that nothing is sent behind their back.
        config.outboxInterval = nil
        configuring(&config)
        try await configure(app, config: config)
        if db == .postgres { try await app.db.sql.raw("CREATE SCHEMA \(ident: schema)").run() }
        if serving { try await prepareForServing(app, demo: false) }
        try await body(app)
    } catch {
        failure = error
    }
    if db == .postgres { try? await app.db.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
    try await app.asyncShutdown()
    for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
    if let failure { throw failure }
}

/// A tiny API client over the in-memory test server.
struct API {
    let app: Application
    var token: String?

    struct Reply {
        var status: HTTPStatus
        var headers: HTTPHeaders
        var text: String

        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder.custom(dates: .iso8601).decode(T.self, from: Data(text.utf8))
        }
        var errorCode: String? { (try? json()["error"] as? [String: Any])?["code"] as? String }
        var errorFields: [String: String] { ((try? json()["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:] }
    }

    func send(_ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, raw: String? = nil,
              contentType: HTTPMediaType = .json, headers extra: HTTPHeaders = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers.bearerAuthorization = .init(token: token) }
        var body = ByteBuffer()
        if let json {
            body = ByteBuffer(data: try JSONEncoder.custom(dates: .iso8601).encode(AnyEncodable(json as! any Encodable & Sendable)))
            headers.contentType = .json
        } else if let raw {
            body = ByteBuffer(string: raw)
            headers.contentType = contentType
        }
        let response = try await app.testing().performTest(
            request: TestingHTTPRequest(method: method, url: URI(path: path), headers: headers, body: body))
        return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func get(_ path: String) async throws -> Reply { try await send(.GET, path) }
    func post(_ path: String, _ json: [String: any Encodable & Sendable] = [:]) async throws -> Reply {
        try await send(.POST, path, json: JSONObject(json))
    }
    func patch(_ path: String, _ json: [String: any Encodable & Sendable]) async throws -> Reply {
        try await send(.PATCH, path, json: JSONObject(json))
    }
    func put(_ path: String, _ json: any Encodable & Sendable) async throws -> Reply {
        try await send(.PUT, path, json: json)
    }
    func delete(_ path: String) async throws -> Reply { try await send(.DELETE, path) }

    /// Signs in through the API and returns a client carrying the token.
    static func signIn(_ app: Application, _ login: String, _ password: String) async throws -> API {
        let reply = try await API(app: app).post("/api/v1/auth/login", ["login": login, "password": password])
        #expect(reply.status == .ok, "login \(login): \(reply.text)")
        return API(app: app, token: try reply.json()["token"] as? String)
    }

    static func admin(_ app: Application) async throws -> API {
        try await signIn(app, "admin", adminPassword)
    }

    /// Creates a user of the given role (as admin) and returns a client signed in as them.
    func createUser(_ login: String, role: String, groups: [String] = []) async throws -> (api: API, id: String) {
        let reply = try await post("/api/v1/users", ["login": login, "name": login.capitalized, "role": role,
                                                     "password": "password-\(login)", "accessGroupIds": groups])
        #expect(reply.status == .created, "create \(login): \(reply.text)")
        let id = try reply.json()["id"] as! String
        return (try await API.signIn(app, login, "password-\(login)"), id)
    }
}

/// A JSON object of mixed values for request bodies.
struct JSONObject: Encodable, Sendable {
    let fields: [String: any Encodable & Sendable]
    init(_ fields: [String: any Encodable & Sendable]) { self.fields = fields }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in fields {
            // JSONEncoder writes a Decimal as a number only when it sees the type itself.
            if let decimal = value as? Decimal { try container.encode(decimal, forKey: Key(key)) }
            else { try container.encode(AnyEncodable(value), forKey: Key(key)) }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension HTTPMediaType {
    static let csv = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
}
