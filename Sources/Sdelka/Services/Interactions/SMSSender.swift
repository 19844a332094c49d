import Fluent
import NIOCore
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Hands queued SMS to the gateway (ARCHITECTURE.md: POST `{"id","to","text"}` as JSON, any
/// 2xx means accepted), one request per recipient, honouring the message's `sendAt` and
/// `validUntil` and its transliteration. A refused or unreachable gateway is tried again after
/// 30 s, 1, 2 and 4 minutes; the fifth failure, or the validity running out, fails the recipient
/// with the reason. Each recipient is claimed by a compare-and-set of its state, so two servers
/// never send it twice.
enum SMSSender {
    static let maxAttempts = 5, batch = 100

    struct Message: Content { var id: String; var to: String; var text: String }

    /// Sends what is due at `now`; answers how many recipients were handed over.
    @discardableResult
    static func tick(_ app: Application, now: Date = Date()) async throws -> Int {
        guard let gateway = app.sdelka.smsGatewayURL, try await SettingsStore.features(on: app.db).isEnabled(.sms) else { return 0 }
        let due = try await SMSRecipient.query(on: app.db).filter(\.$state == .queued)
            .group(.or) { $0.filter(\.$nextAttemptAt == nil).filter(\.$nextAttemptAt <= now) }
            .sort(\.$nextAttemptAt).range(0..<batch).all()
        guard !due.isEmpty else { return 0 }
        let messages = Dictionary(uniqueKeysWithValues: try await Interaction.query(on: app.db).filter(\.$id ~~ Set(due.map(\.interactionID))).all()
            .map { (try $0.requireID(), $0) })
        var sent = 0
        for recipient in due {
            guard let message = messages[recipient.interactionID], !message.deletionMark else { continue }
            if let sendAt = message.sendAt, sendAt > now { continue }
            guard try await claim(recipient, on: app.db) else { continue }
            if let until = message.validUntil, until < now {
                try await finish(recipient, state: .failed, error: "expired: not sent before validUntil", on: app.db)
                continue
            }
            let text = message.transliterate == true ? Transliteration.latin(message.text ?? "") : (message.text ?? "")
            let failure = await post(Message(id: try recipient.requireID().uuidString, to: recipient.phone, text: text), to: gateway, client: app.client)
            if let failure {
                recipient.attempts += 1
                if recipient.attempts >= maxAttempts {
                    try await finish(recipient, state: .failed, error: failure, on: app.db)
                } else {
                    recipient.state = .queued
                    recipient.error = failure
                    recipient.nextAttemptAt = now.addingTimeInterval(30 * pow(2, Double(recipient.attempts - 1)))
                    try await recipient.update(on: app.db)
                }
            } else {
                recipient.attempts += 1
                recipient.sentAt = now
                try await finish(recipient, state: .sent, error: nil, on: app.db)
                sent += 1
            }
        }
        return sent
    }

    /// queued → sending, only if nobody took it first.
    private static func claim(_ recipient: SMSRecipient, on db: any Database) async throws -> Bool {
        let rows = try await db.sql.update(SMSRecipient.schema).set("state", to: SQLBind(SMSRecipient.State.sending.rawValue))
            .where("id", .equal, SQLBind(try recipient.requireID())).where("state", .equal, SQLBind(SMSRecipient.State.queued.rawValue))
            .returning("id").all()
        if !rows.isEmpty { recipient.state = .sending }
        return !rows.isEmpty
    }

    private static func finish(_ recipient: SMSRecipient, state: SMSRecipient.State, error: String?, on db: any Database) async throws {
        recipient.state = state
        recipient.error = error
        try await db.writeTransaction { tx in
            try await recipient.update(on: tx)
            try await MailingOutcomes.record([.init(interactionID: recipient.interactionID, status: state == .failed ? .failed : .sent, error: error)], on: tx)
        }
    }

    /// Nil when the gateway took the message; otherwise why not.
    private static func post(_ message: Message, to gateway: String, client: any Client) async -> String? {
        do {
            let response = try await client.post(URI(string: gateway)) { try $0.content.encode(message, as: .json) }
            return (200..<300).contains(response.status.code) ? nil : "gateway answered \(response.status.code)"
        } catch {
            return "gateway unreachable: \(error.localizedDescription)"
        }
    }
}
