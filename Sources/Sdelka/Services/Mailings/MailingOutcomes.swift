import Fluent
import Foundation
import SQLKit

/// What became of mailing messages, written onto their recipient rows in the transaction that
/// records the letter's or SMS's fate: the mailing's figures are counts of its own rows. A
/// message that ran past "valid until" is skipped as expired, not failed.
enum MailingOutcomes {
    struct Outcome: Sendable {
        var interactionID: UUID
        var status: MailingRecipient.Status
        var error: String?
    }

    static func record(_ outcomes: [Outcome], on db: any Database) async throws {
        let settled = outcomes.filter { $0.status != .queued }
        for (key, group) in Dictionary(grouping: settled, by: { Key(status: $0.status, error: $0.error) }) {
            let expired = key.error == MailSender.expired || key.error?.hasPrefix("expired") == true
            let status: MailingRecipient.Status = expired ? .skipped : key.status
            let reason: String? = expired ? MailingRecipient.Reason.expired.rawValue : key.status == .failed ? key.error.map { String($0.prefix(500)) } : nil
            for chunk in group.map(\.interactionID).chunks(of: 500) {
                try await db.sql.update(MailingRecipient.schema)
                    .set("status", to: SQLBind(status.rawValue)).set("reason", to: SQLBind(reason))
                    .where("interaction_id", .in, SQLBind.group(Array(chunk))).run()
            }
        }
    }

    private struct Key: Hashable {
        var status: MailingRecipient.Status
        var error: String?
    }
}
