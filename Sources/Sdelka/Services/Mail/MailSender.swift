import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Sends queued letters over SMTP (`SMTP_URL`, `MAIL_FROM`): everything due goes through one
/// SMTP session. A temporary failure (no connection, a 4xx answer) keeps the letter `queued`
/// with the error and tries again after 30 s, 1, 2 and 4 minutes; the fifth, or a permanent
/// refusal (5xx), makes it `failed`. Each letter is claimed by a compare-and-set of its
/// attempt count, which also leases it for ten minutes, so two servers never send it twice
/// and a server that dies mid-send only delays it.
enum MailSender {
    static let maxAttempts = 5, batch = 200
    static let lease: TimeInterval = 600

    /// Sends what is due at `now`; answers how many letters went.
    @discardableResult
    static func tick(_ app: Application, now: Date = Date()) async throws -> Int {
        guard let settings = app.sdelka.smtp, try await SettingsStore.features(on: app.db).isEnabled(.email) else { return 0 }
        let due = try await Interaction.query(on: app.db).filter(\.$type == .email).filter(\.$status == .queued).filter(\.$deletionMark == false)
            .group(.or) { $0.filter(\.$mailNextAttemptAt == nil).filter(\.$mailNextAttemptAt <= now) }
            .sort(\.$mailNextAttemptAt).range(0..<batch).all()
        var claimed: [Interaction] = []
        for letter in due where try await claim(letter, now: now, on: app.db) { claimed.append(letter) }
        guard !claimed.isEmpty else { return 0 }
        let files = Dictionary(grouping: try await InteractionAttachment.query(on: app.db).filter(\.$interactionID ~~ claimed.compactMap(\.id))
            .sort(\.$position).all(), by: \.interactionID)
        let session: SMTPSession
        do {
            session = try await SMTPSession.open(settings, on: app.eventLoopGroup)
        } catch {
            // No session is the server's or our settings' fault, never the letters': all wait.
            let reason = SMTPError.temporary((error as? SMTPError)?.description ?? "\(error)")
            for letter in claimed { try await failed(letter, reason, now: now, on: app.db) }
            return 0
        }
        defer { session.close() }
        var sent = 0
        for letter in claimed {
            do {
                let mail = try outgoing(letter, attachments: files[try letter.requireID()] ?? [], settings: settings, now: now)
                try await session.send(mail, envelopeFrom: settings.from.address)
                try await record(letter, status: .sent, error: nil, nextAttempt: nil, sentAt: now, on: app.db)
                sent += 1
            } catch {
                try await failed(letter, error, now: now, on: app.db)
            }
        }
        return sent
    }

    /// The letter as it goes out: from the letter's own sender when it has one, else
    /// `MAIL_FROM`; the envelope is always `MAIL_FROM` (the server we relay through vouches for it).
    static func outgoing(_ letter: Interaction, attachments: [InteractionAttachment], settings: SMTPSettings, now: Date) throws -> OutgoingMail {
        let to = MailAddress.list(letter.to ?? ""), cc = MailAddress.list(letter.cc ?? "")
        guard !(to + cc).isEmpty else { throw SMTPError.permanent("the letter has no recipients") }
        let references = (letter.references ?? "").split(separator: " ").map(String.init)
        let id = try letter.requireID()
        return OutgoingMail(
            from: letter.from.flatMap { MailAddress.list($0).first } ?? settings.from, to: to, cc: cc, subject: letter.topic,
            text: letter.bodyText, html: letter.bodyHTML,
            attachments: attachments.map { .init(filename: $0.filename, contentType: $0.contentType, data: [UInt8]($0.data)) },
            messageID: letter.messageID ?? "<\(id.uuidString.lowercased())@sdelka>",
            inReplyTo: references.last, references: references, date: now)
    }

    /// Takes the letter for this server: one more attempt, leased for ten minutes.
    private static func claim(_ letter: Interaction, now: Date, on db: any Database) async throws -> Bool {
        let rows = try await db.sql.update(Interaction.schema)
            .set("mail_attempts", to: SQLBind(letter.mailAttempts + 1))
            .set("mail_next_attempt_at", to: SQLBind(now.addingTimeInterval(lease)))
            .where("id", .equal, SQLBind(try letter.requireID()))
            .where("status", .equal, SQLBind(Interaction.MailStatus.queued.rawValue))
            .where("mail_attempts", .equal, SQLBind(letter.mailAttempts))
            .returning("id").all()
        guard !rows.isEmpty else { return false }
        letter.mailAttempts += 1
        return true
    }

    private static func failed(_ letter: Interaction, _ error: any Error, now: Date, on db: any Database) async throws {
        let smtp = error as? SMTPError ?? .temporary("\(error)")
        if case .temporary(let text) = smtp, letter.mailAttempts < maxAttempts {
            let retry = now.addingTimeInterval(30 * pow(2, Double(letter.mailAttempts - 1)))
            try await record(letter, status: .queued, error: text, nextAttempt: retry, sentAt: nil, on: db)
        } else {
            try await record(letter, status: .failed, error: smtp.description, nextAttempt: nil, sentAt: nil, on: db)
        }
    }

    /// The new state, one version up, and its line in the audit log (by «system»).
    private static func record(_ letter: Interaction, status: Interaction.MailStatus, error: String?, nextAttempt: Date?, sentAt: Date?,
                               on db: any Database) async throws {
        let id = try letter.requireID()
        try await db.transaction { tx in
            try await tx.sql.update(Interaction.schema)
                .set("status", to: SQLBind(status.rawValue))
                .set("error", to: SQLBind(error))
                .set("mail_next_attempt_at", to: SQLBind(nextAttempt))
                .set("sent_at", to: SQLBind(sentAt ?? letter.sentAt))
                .set("version", to: SQLRaw("version + 1"))
                .set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).run()
            var changes: [FieldChange] = []
            if status != letter.status { changes.append(FieldChange(field: "status", old: letter.status.map { .string($0.rawValue) }, new: .string(status.rawValue))) }
            if error != letter.error { changes.append(FieldChange(field: "error", old: letter.error.map(JSONValue.string), new: error.map(JSONValue.string))) }
            if let sentAt { changes.append(FieldChange(field: "sentAt", old: nil, new: .string(ISO8601DateFormatter().string(from: sentAt)))) }
            if !changes.isEmpty {
                try await Audit.record(.update, objectType: Interaction.objectType, objectID: id.uuidString, changes: changes, by: .system, on: tx)
            }
        }
    }
}
