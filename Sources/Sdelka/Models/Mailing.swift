import Fluent
import Foundation
import SdelkaCore
import Vapor

/// A subscription topic (Тема рассылки): «Новости», «Акции», «Сервисные уведомления».
/// Marketing topics can be unsubscribed from; service notices cannot.
final class MailingTopic: CatalogModel, @unchecked Sendable {
    static let schema = "mailing_topics"
    static let objectType = "mailingTopic"
    static var hasUnsubscribable: Bool { true }

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "name") var name: String
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "unsubscribable") var isUnsubscribable: Bool
    @Field(key: "search_text") var searchText: String

    var unsubscribable: Bool? {
        get { $isUnsubscribable.value }
        set { if let newValue { isUnsubscribable = newValue } }
    }

    init() {}
}

/// A mailing to clients (Рассылка клиентам, DOMAIN.md §7): planned for a moment, or sent on
/// an event by a rule. The audience and the trigger are kept as the API shapes them.
final class Mailing: RecordModel, @unchecked Sendable {
    static let schema = "mailings"
    static let objectType = "mailing"

    enum Channel: String, Codable, CaseIterable, Sendable { case email, sms, emailOrSms }
    enum Mode: String, Codable, CaseIterable, Sendable { case planned, event }
    enum Status: String, Codable, CaseIterable, Sendable { case draft, scheduled, sending, done, cancelled, active, paused }
    enum Trigger: String, Codable, CaseIterable, Sendable { case dealWon, dealStage, partnerCreated, birthday, saleShipped, claimClosed, surveyAnswered }

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "name") var name: String
    @Field(key: "channel") var channel: Channel
    @OptionalField(key: "topic_id") var topicID: UUID?
    @Field(key: "subject") var subject: String
    @Field(key: "body_text") var text: String
    @OptionalField(key: "body_html") var html: String?
    @OptionalField(key: "sender") var sender: String?
    @Field(key: "audience") var audience: String
    @Field(key: "mode") var mode: Mode
    @OptionalField(key: "send_at") var sendAt: Date?
    @OptionalField(key: "valid_until") var validUntil: Date?
    @OptionalField(key: "trigger_event") var triggerEvent: Trigger?
    @OptionalField(key: "trigger_deal_kind_id") var triggerDealKindID: UUID?
    @OptionalField(key: "trigger_stage_id") var triggerStageID: UUID?
    @OptionalField(key: "delay_minutes") var delayMinutes: Int?
    @Field(key: "status") var status: Status
    /// Whose access the audience is taken with when the server sends on its own.
    @OptionalField(key: "owner_id") var ownerID: UUID?
    /// An event mailing serves events from this moment on (it moves on resume).
    @OptionalField(key: "active_since") var activeSince: Date?
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// The site's address as the user who scheduled it reached it: links in letters start with it.
    @OptionalField(key: "link_base") var linkBase: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

/// A file every letter of a mailing carries; kept once with the mailing, not with each letter.
final class MailingAttachment: Model, @unchecked Sendable {
    static let schema = "mailing_attachments"

    @ID(key: .id) var id: UUID?
    @Field(key: "mailing_id") var mailingID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data

    init() {}
}

/// One planned message of a mailing: to whom, on which address, and what became of it.
/// `addressKey` makes a recipient once per mailing and occurrence (the address, or the person
/// when there is none); `token` is the recipient's own unsubscribe link.
final class MailingRecipient: Model, @unchecked Sendable {
    static let schema = "mailing_recipients"

    enum Status: String, Codable, CaseIterable, Sendable { case queued, sent, failed, skipped }
    enum Reason: String, Codable, CaseIterable, Sendable {
        case unsubscribed, noAddress, stopList, markedForDeletion, duplicateAddress, expired, cancelled, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "mailing_id") var mailingID: UUID
    @Field(key: "occurrence") var occurrence: String
    @Field(key: "address_key") var addressKey: String
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "channel") var channel: String?
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @OptionalField(key: "deal_id") var dealID: UUID?
    @OptionalField(key: "questionnaire_id") var questionnaireID: UUID?
    @Field(key: "status") var status: Status
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "interaction_id") var interactionID: UUID?
    @Field(key: "token") var token: String
    @Field(key: "due_at") var dueAt: Date
    @OptionalField(key: "handed_at") var handedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// Whether an address receives a topic. No row means subscribed; an unsubscribe writes
/// `subscribed = false` and every later mailing reads it.
final class Subscription: Model, @unchecked Sendable {
    static let schema = "subscriptions"

    @ID(key: .id) var id: UUID?
    @Field(key: "address") var address: String
    @Field(key: "topic_id") var topicID: UUID
    @Field(key: "subscribed") var subscribed: Bool
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @Field(key: "source") var source: String
    @OptionalField(key: "changed_at") var changedAt: Date?

    init() {}
}
