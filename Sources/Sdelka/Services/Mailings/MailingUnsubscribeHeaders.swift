import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// RFC 8058 for letters of marketing mailings: `List-Unsubscribe` with the recipient's own
/// page and a mailto whose subject carries the same token, and `List-Unsubscribe-Post`, so
/// that a mail client's "unsubscribe" button works with one POST and no login. Service
/// notices (topics one cannot leave) carry neither.
enum MailingUnsubscribeHeaders {
    static let mailtoSubjectPrefix = "unsubscribe "
    /// RFC 3986's unreserved characters: all a token is made of.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func load(for interactionIDs: [UUID], settings: SMTPSettings, on db: any Database) async throws -> [UUID: [OutgoingMail.Header]] {
        guard !interactionIDs.isEmpty else { return [:] }
        struct Row: Decodable { var interaction_id: UUID; var token: String; var link_base: String? }
        var result: [UUID: [OutgoingMail.Header]] = [:]
        for chunk in interactionIDs.chunks(of: 500) {
            let rows = try await db.sql.select().column(SQLColumn("interaction_id", table: "r")).column(SQLColumn("token", table: "r"))
                .column(SQLColumn("link_base", table: "m"))
                .from(SQLAlias(SQLIdentifier(MailingRecipient.schema), as: SQLIdentifier("r")))
                .join(SQLAlias(SQLIdentifier(Mailing.schema), as: SQLIdentifier("m")), on: SQLColumn("id", table: "m"), .equal, SQLColumn("mailing_id", table: "r"))
                .join(SQLAlias(SQLIdentifier(MailingTopic.schema), as: SQLIdentifier("t")), on: SQLColumn("id", table: "t"), .equal, SQLColumn("topic_id", table: "m"))
                .where(SQLColumn("interaction_id", table: "r"), .in, SQLBind.group(Array(chunk)))
                .where(SQLColumn("unsubscribable", table: "t"), .equal, SQLLiteral.boolean(true))
                .all(decoding: Row.self)
            for row in rows {
                result[row.interaction_id] = headers(token: row.token, base: row.link_base ?? "", mailbox: settings.from.address)
            }
        }
        return result
    }

    static func headers(token: String, base: String, mailbox: String) -> [OutgoingMail.Header] {
        let subject = (mailtoSubjectPrefix + token).addingPercentEncoding(withAllowedCharacters: unreserved) ?? token
        return [OutgoingMail.Header("List-Unsubscribe", "<\(base)/u/\(token)>,\r\n <mailto:\(mailbox)?subject=\(subject)>"),
                OutgoingMail.Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    }
}
