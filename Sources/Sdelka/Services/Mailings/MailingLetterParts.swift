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

    static func headers(token: String, base: String, mailbox: String) -> [OutgoingMail.Header] {
        let subject = (mailtoSubjectPrefix + token).addingPercentEncoding(withAllowedCharacters: unreserved) ?? token
        return [OutgoingMail.Header("List-Unsubscribe", "<\(base)/u/\(token)>,\r\n <mailto:\(mailbox)?subject=\(subject)>"),
                OutgoingMail.Header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    }
}

/// What a letter of a mailing carries besides its own text: the unsubscribe headers of its
/// topic and the mailing's files. One query finds the letters' mailings, tokens and topics; the
/// files are read once per mailing, however many of its letters go in the batch.
enum MailingLetterParts {
    struct Parts: Sendable {
        var headers: [OutgoingMail.Header] = []
        var attachments: [OutgoingMail.Attachment] = []
    }

    static func load(for interactionIDs: [UUID], settings: SMTPSettings, on db: any Database) async throws -> [UUID: Parts] {
        guard !interactionIDs.isEmpty else { return [:] }
        struct Row: Decodable { var interaction_id: UUID; var mailing_id: UUID; var token: String; var link_base: String?; var unsubscribable: Bool? }
        var rows: [Row] = []
        for chunk in interactionIDs.chunks(of: 500) {
            rows += try await db.sql.select().column(SQLColumn("interaction_id", table: "r")).column(SQLColumn("mailing_id", table: "r"))
                .column(SQLColumn("token", table: "r")).column(SQLColumn("link_base", table: "m")).column(SQLColumn("unsubscribable", table: "t"))
                .from(SQLAlias(SQLIdentifier(MailingRecipient.schema), as: SQLIdentifier("r")))
                .join(SQLAlias(SQLIdentifier(Mailing.schema), as: SQLIdentifier("m")), on: SQLColumn("id", table: "m"), .equal, SQLColumn("mailing_id", table: "r"))
                .join(SQLAlias(SQLIdentifier(MailingTopic.schema), as: SQLIdentifier("t")), method: SQLJoinMethod.left,
                      on: SQLColumn("id", table: "t"), .equal, SQLColumn("topic_id", table: "m"))
                .where(SQLColumn("interaction_id", table: "r"), .in, SQLBind.group(Array(chunk)))
                .all(decoding: Row.self)
        }
        guard !rows.isEmpty else { return [:] }
        let files = Dictionary(grouping: try await MailingAttachment.query(on: db).filter(\.$mailingID ~~ Set(rows.map(\.mailing_id))).sort(\.$position).all(),
                               by: \.mailingID)
            .mapValues { $0.map { OutgoingMail.Attachment(filename: $0.filename, contentType: $0.contentType, data: [UInt8]($0.data)) } }
        var result: [UUID: Parts] = [:]
        for row in rows {
            result[row.interaction_id] = Parts(
                headers: row.unsubscribable == true
                    ? MailingUnsubscribeHeaders.headers(token: row.token, base: row.link_base ?? "", mailbox: settings.from.address) : [],
                attachments: files[row.mailing_id] ?? [])
        }
        return result
    }
}
