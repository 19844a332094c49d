import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Writes the recipient rows of one occurrence of a mailing (the planned send, or one event):
/// everyone to write to as `queued`, everyone left out as `skipped` with the reason, in
/// statements of a few thousand rows. A row already there for the mailing, occurrence and
/// address stays as it is, so an occurrence served twice still sends once.
enum MailingPlanner {
    static let insert = JSONRowsInsert(
        table: MailingRecipient.schema,
        columns: [("id", .uuid), ("mailing_id", .uuid), ("occurrence", .text), ("address_key", .text), ("address", .text), ("channel", .text),
                  ("partner_id", .uuid), ("contact_person_id", .uuid), ("deal_id", .uuid), ("questionnaire_id", .uuid),
                  ("status", .text), ("reason", .text), ("token", .text), ("due_at", .timestamp), ("created_at", .timestamp)],
        conflict: .init(target: ["mailing_id", "occurrence", "address_key"], update: [], bumpVersion: false))

    /// Answers how many were queued (not skipped).
    @discardableResult
    static func queue(_ candidates: [MailingAudience.Candidate], mailing: UUID, occurrence: String, dueAt: Date,
                      on db: any Database) async throws -> Int {
        let now = Date()
        // Whole seconds: a fraction written through the JSON rows could come back a microsecond
        // later than the moment it was planned for, and miss that moment's hand-over.
        let due = Date(timeIntervalSince1970: dueAt.timeIntervalSince1970.rounded(.down))
        var queued = 0
        for chunk in candidates.chunks(of: 5_000) {
            let rows: [[JSONRowsInsert.Cell]] = chunk.map { c in
                if c.excluded == nil { queued += 1 }
                return [.uuid(TimeOrderedID.make()), .uuid(mailing), .text(occurrence), .text(c.addressKey), .text(c.address),
                        .text(c.channel?.rawValue), .uuid(c.partnerID), .uuid(c.personID), .uuid(c.dealID), .uuid(c.questionnaireID),
                        .text((c.excluded == nil ? MailingRecipient.Status.queued : .skipped).rawValue), .text(c.excluded?.rawValue),
                        .text(newToken()), .timestamp(due), .timestamp(now)]
            }
            try await insert.run(rows, on: db.sql)
        }
        return queued
    }

    /// 192 random bits: an unsubscribe link is guessed no sooner than a password.
    static func newToken() -> String {
        Data([UInt8].random(count: 24)).base64URLEncoded()
    }
}
