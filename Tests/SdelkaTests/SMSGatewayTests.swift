import Foundation
import NIOConcurrencyHelpers
import SdelkaCore
import Testing
import Vapor
@testable import Sdelka

/// SMS really handed to a gateway: a local HTTP server started by the test receives the JSON
/// of ARCHITECTURE.md, answers 2xx or not, and the recipients' states follow.
@Suite struct SMSGatewayTests {
    /// A gateway on loopback that records what it receives and answers the status it is told.
    final class Gateway: @unchecked Sendable {
        let app: Application
        private let lock = NIOLock()
        private var received: [[String: String]] = []
        private var status: HTTPStatus = .accepted

        init() async throws {
            app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            app.post("sms") { [unowned self] req -> Response in
                let body = try req.content.decode([String: String].self)
                return self.lock.withLock {
                    self.received.append(body)
                    return Response(status: self.status)
                }
            }
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        }

        var url: String { "http://127.0.0.1:\(app.http.server.shared.localAddress?.port ?? 0)/sms" }
        var messages: [[String: String]] { lock.withLock { received } }
        func answer(_ status: HTTPStatus) { lock.withLock { self.status = status } }
        func stop() async throws { await app.server.shutdown(); try await app.asyncShutdown() }
    }

    @Test func russianIsTransliterated() {
        #expect(Transliteration.latin("Привет, Щукин! Ваш заказ №5 готов. Съешь ещё") == "Privet, Shchukin! Vash zakaz №5 gotov. Sesh eshchyo")
    }

    @Test(arguments: TestDB.all)
    func messagesReachTheGatewayWithRetriesAndValidity(db: TestDB) async throws {
        let gateway = try await Gateway()
        try await withSdelka(db) { app in
            app.sdelka.smsGatewayURL = gateway.url
            let admin = try await API.admin(app)
            func sms(_ text: String, _ phones: [String], _ extra: [String: any Encodable & Sendable] = [:]) async throws -> InteractionDTO {
                var body: [String: any Encodable & Sendable] = ["type": "sms", "topic": "Заказ", "text": text, "recipients": phones.map { JSONObject(["phone": $0]) }]
                body.merge(extra) { $1 }
                let reply = try await admin.send(.POST, "/api/v1/interactions", json: JSONObject(body))
                #expect(reply.status == .created, "\(reply.text)")
                return try reply.decode(InteractionDTO.self)
            }
            func states(_ id: UUID) async throws -> [String] {
                try await admin.get("/api/v1/interactions/\(id)").decode(InteractionDTO.self).recipients?
                    .map { "\($0.phone) \($0.state?.rawValue ?? "-")\($0.error.map { " " + $0 } ?? "")" } ?? []
            }
            let now = Date()
            let order = try await sms("Привет, заказ готов", ["+7 900 123-45-67", "8 (911) 000-11-22"], ["transliterate": true])
            #expect(try await states(order.id) == ["79001234567 queued", "79110001122 queued"])
            #expect(try await SMSSender.tick(app, now: now) == 2)
            #expect(gateway.messages.map { "\($0["to"] ?? "") \($0["text"] ?? "")" } == ["79001234567 Privet, zakaz gotov", "79110001122 Privet, zakaz gotov"])
            #expect(gateway.messages.allSatisfy { UUID(uuidString: $0["id"] ?? "") != nil })
            #expect(try await states(order.id) == ["79001234567 sent", "79110001122 sent"])

            // The gateway refuses: queued again with the reason, retried after 30 s, then sent.
            gateway.answer(.serviceUnavailable)
            let retry = try await sms("Счет выставлен", ["+79005554433"])
            #expect(try await SMSSender.tick(app, now: now) == 0)
            #expect(try await states(retry.id) == ["79005554433 queued gateway answered 503"])
            gateway.answer(.ok)
            #expect(try await SMSSender.tick(app, now: now.addingTimeInterval(10)) == 0, "not before its next attempt")
            #expect(try await SMSSender.tick(app, now: now.addingTimeInterval(31)) == 1)
            #expect(try await states(retry.id) == ["79005554433 sent"])
            #expect(gateway.messages.last?["text"] == "Счет выставлен", "not transliterated unless asked")

            // Send-at is waited for; past its validity a message fails.
            let later = try await sms("Завтра", ["+79001112233"], ["sendAt": ISO8601DateFormatter().string(from: now.addingTimeInterval(3_600))])
            #expect(try await SMSSender.tick(app, now: now.addingTimeInterval(60)) == 0)
            #expect(try await SMSSender.tick(app, now: now.addingTimeInterval(3_700)) == 1)
            #expect(try await states(later.id) == ["79001112233 sent"])
            let stale = try await sms("Акция", ["+79004445566"], ["validUntil": ISO8601DateFormatter().string(from: now.addingTimeInterval(60))])
            #expect(try await SMSSender.tick(app, now: now.addingTimeInterval(120)) == 0)
            #expect(try await states(stale.id) == ["79004445566 failed expired: not sent before validUntil"])

            // With the sms switch off the kind is refused.
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["sms"] = false
            #expect(try await admin.put("/api/v1/settings/features", features).status == .ok)
            let off = try await admin.send(.POST, "/api/v1/interactions", json: JSONObject(["type": "sms", "topic": "x", "text": "y"]))
            #expect(off.errorCode == "feature_disabled")
        }
        try await gateway.stop()
    }
}
