import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Sends queued letters over SMTP (`SMTP_URL`, `MAIL_FROM`): everything due goes through one
/// SMTP session. A temporary failure (no connection, a 4xx answer) keeps the letter `queued`
/// with the error and tries again after 30 s, 1, 2 and 4 minutes; the fifth, or a permanent
/// refusal (5xx), makes it `failed`. The due letters are claimed in one statement that leases
/// them for ten minutes (only letters still due match it), so two servers never send the same
/// letter and a server that dies mid-send only delays it; what became of them is written in
/// one transaction after the session.
enum MailSender {
    static let maxAttempts = 5, batch = 200
    static let lease: TimeInterval = 600
    static let expired = "expired: not sent before validUntil"

    /// Sends what is due at `now`; answers how many letters went.
    @discardableResult
    static func tick(_ app: Application, now: Date = Date()) async throws -> Int {
        guard let settings = app.sdelka.smtp, try await SettingsStore.features(on: app.db).isEnabled(.email) else { return 0 }
        let due = try await Interaction.query(on: app.db).filter(\.$type == .email).filter(\.$status == .queued).filter(\.$deletionMark == false)
            .group(.or) { $0.filter(\.$mailNextAttemptAt == nil).filter(\.$mailNextAttemptAt <= now) }
            .sort(\.$mailNextAttemptAt).range(0..<batch).all()
        let claimed = try await claim(due, now: now, on: app.db)
        guard !claimed.isEmpty else { return 0 }
        let files = Dictionary(grouping: try await InteractionAttachment.query(on: app.db).filter(\.$interactionID ~~ claimed.compactMap(\.id))
            .sort(\.$position).all(), by: \.interactionID)
        let mailingParts = try await MailingLetterParts.load(for: claimed.compactMap(\.id), settings: settings, on: app.db)
        let session: SMTPSession
        do {
            session = try await SMTPSession.open(settings, on: app.eventLoopGroup)
        } catch {
            // No session is the server's or our settings' fault, never the letters': all wait.
            let reason = SMTPError.temporary((error as? SMTPError)?.description ?? "\(error)")
            try await record(claimed.map { outcome($0, failure: reason, now: now) }, on: app.db)
            return 0
        }
        var outcomes: [Outcome] = []
        for letter in claimed {
            if let until = letter.validUntil, until < now {
                outcomes.append(Outcome(letter: letter, status: .failed, error: expired, nextAttempt: nil, sentAt: nil))
                continue
            }
            do {
                var mail = try outgoing(letter, attachments: files[try letter.requireID()] ?? [], settings: settings, now: now)
                let parts = mailingParts[try letter.requireID()]
                mail.extraHeaders = parts?.headers ?? []
                mail.attachments += parts?.attachments ?? []
                try await session.send(mail, envelopeFrom: settings.from.address)
                outcomes.append(Outcome(letter: letter, status: .sent, error: nil, nextAttempt: nil, sentAt: now))
            } catch {
                outcomes.append(outcome(letter, failure: error, now: now))
            }
        }
        session.close()
        try await record(outcomes, on: app.db)
        return outcomes.filter { $0.status == .sent }.count
    }

    /// Sends batch after batch while whole batches go, for up to a minute: a mailing's
    /// thousands of letters leave at the SMTP server's pace, not a batch per tick.
    static func drain(_ app: Application) async throws {
        let start = Date()
        while try await tick(app) == batch, Date().timeIntervalSince(start) < 60 {}
    }

    struct Outcome {
        var letter: Interaction
        var status: Interaction.MailStatus
        var error: String?
        var nextAttempt: Date?
        var sentAt: Date?
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

    /// Takes the letters still due for this server: one more attempt each, leased for ten
    /// minutes, in one statement (a letter another server took is no longer due).
    private static func claim(_ due: [Interaction], now: Date, on db: any Database) async throws -> [Interaction] {
        guard !due.isEmpty else { return [] }
        let dueNow = SQLGroupExpression(SQLBinaryExpression(SQLBinaryExpression(SQLColumn("mail_next_attempt_at"), .is, SQLLiteral.null), .or,
                                                            SQLBinaryExpression(SQLColumn("mail_next_attempt_at"), .lessThanOrEqual, SQLBind(now))))
        struct Row: Decodable { var id: UUID }
        let rows = try await db.sql.update(Interaction.schema)
            .set("mail_attempts", to: SQLRaw("mail_attempts + 1"))
            .set("mail_next_attempt_at", to: SQLBind(now.addingTimeInterval(lease)))
            .where("id", .in, SQLBind.group(try due.map { try $0.requireID() }))
            .where("status", .equal, SQLBind(Interaction.MailStatus.queued.rawValue))
            .where(dueNow)
            .returning("id").all(decoding: Row.self)
        let taken = Set(rows.map(\.id))
        let claimed = due.filter { $0.id.map(taken.contains) ?? false }
        for letter in claimed { letter.mailAttempts += 1 }
        return claimed
    }

    private static func outcome(_ letter: Interaction, failure error: any Error, now: Date) -> Outcome {
        let smtp = error as? SMTPError ?? .temporary("\(error)")
        if case .temporary(let text) = smtp, letter.mailAttempts < maxAttempts {
            let retry = now.addingTimeInterval(30 * pow(2, Double(letter.mailAttempts - 1)))
            return Outcome(letter: letter, status: .queued, error: text, nextAttempt: retry, sentAt: nil)
        }
        return Outcome(letter: letter, status: .failed, error: smtp.description, nextAttempt: nil, sentAt: nil)
    }

    /// The new states, each one version up with its line in the audit log (by «system»), in
    /// one transaction.
    private static func record(_ outcomes: [Outcome], on db: any Database) async throws {
        guard !outcomes.isEmpty else { return }
        let stamp = Date()
        try await db.writeTransaction { tx in
            let formatter = ISO8601DateFormatter()
            for o in outcomes {
                let letter = o.letter, id = try letter.requireID()
                try await tx.sql.update(Interaction.schema)
                    .set("status", to: SQLBind(o.status.rawValue))
                    .set("error", to: SQLBind(o.error))
                    .set("mail_next_attempt_at", to: SQLBind(o.nextAttempt))
                    .set("sent_at", to: SQLBind(o.sentAt ?? letter.sentAt))
                    .set("version", to: SQLRaw("version + 1"))
                    .set("updated_at", to: SQLBind(stamp))
                    .where("id", .equal, SQLBind(id)).run()
                var changes: [FieldChange] = []
                if o.status != letter.status { changes.append(FieldChange(field: "status", old: letter.status.map { .string($0.rawValue) }, new: .string(o.status.rawValue))) }
                if o.error != letter.error { changes.append(FieldChange(field: "error", old: letter.error.map(JSONValue.string), new: o.error.map(JSONValue.string))) }
                if let sentAt = o.sentAt { changes.append(FieldChange(field: "sentAt", old: nil, new: .string(formatter.string(from: sentAt)))) }
                if !changes.isEmpty {
                    try await Audit.record(.update, objectType: Interaction.objectType, objectID: id.uuidString, changes: changes, by: .system, on: tx)
                }
            }
            try await MailingOutcomes.record(outcomes.compactMap { o in
                o.letter.id.map { MailingOutcomes.Outcome(interactionID: $0, status: o.status == .sent ? .sent : o.status == .failed ? .failed : .queued,
                                                          error: o.error) }
            }, on: tx)
        }
    }
}
