import Fluent
import Foundation
import Vapor

/// Взаимодействие (DOMAIN.md §3): a meeting, a planned contact, a call, an e-mail or an SMS.
final class Interaction: RecordModel, @unchecked Sendable {
    static let schema = "interactions"
    static let objectType = "interaction"

    enum Kind: String, Codable, CaseIterable, Sendable { case meeting, planned, call, email, sms }
    enum Importance: String, Codable, CaseIterable, Sendable { case low, normal, high }
    enum SubjectType: String, Codable, CaseIterable, Sendable { case deal, event, claim, survey, mailing, interaction }
    enum MailStatus: String, Codable, CaseIterable, Sendable { case draft, queued, sent, failed, received }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "type") var type: Kind
    @Field(key: "topic") var topic: String
    @OptionalField(key: "description") var details: String?
    @Field(key: "importance") var importance: Importance
    @Field(key: "reviewed") var reviewed: Bool
    @OptionalField(key: "review_after") var reviewAfter: String?
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "start_at") var start: Date?
    @OptionalField(key: "end_at") var end: Date?
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "planned_at") var plannedAt: Date?
    @OptionalField(key: "incoming") var incoming: Bool?
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "duration_seconds") var durationSeconds: Int?
    @OptionalField(key: "mail_from") var from: String?
    @OptionalField(key: "mail_to") var to: String?
    @OptionalField(key: "mail_cc") var cc: String?
    @OptionalField(key: "body_text") var bodyText: String?
    @OptionalField(key: "body_html") var bodyHTML: String?
    @OptionalField(key: "status") var status: MailStatus?
    @OptionalField(key: "sent_at") var sentAt: Date?
    @OptionalField(key: "error") var error: String?
    /// With angle brackets, as in the header; set when a letter is queued or received.
    @OptionalField(key: "message_id") var messageID: String?
    /// The `References` of the letter, space-separated, for threading replies.
    @OptionalField(key: "mail_references") var references: String?
    @Field(key: "mail_attempts") var mailAttempts: Int
    @OptionalField(key: "mail_next_attempt_at") var mailNextAttemptAt: Date?
    @OptionalField(key: "sms_text") var text: String?
    @OptionalField(key: "transliterate") var transliterate: Bool?
    @OptionalField(key: "send_at") var sendAt: Date?
    @OptionalField(key: "valid_until") var validUntil: Date?
    @Field(key: "search_text") var searchText: String

    // relationships
    @OptionalField(key: "responsible_id") var responsibleID: UUID?
    @OptionalField(key: "author_id") var authorID: UUID?
    @OptionalField(key: "basis_id") var basisID: UUID?
    @Field(key: "subject_type") var subjectType: SubjectType
    @Field(key: "subject_id") var subjectID: UUID
    @OptionalField(key: "partner_id") var partnerID: UUID?

    init() {}
}

/// Who took part: a partner, one of its contact persons, one of our users, or just a name and
/// an address (a phone number or an e-mail).
final class InteractionParticipant: Model, @unchecked Sendable {
    static let schema = "interaction_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "interaction_id") var interactionID: UUID
    @Field(key: "position") var position: Int
    @OptionalField(key: "partner_id") var partnerID: UUID?
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @OptionalField(key: "user_id") var userID: UUID?
    @OptionalField(key: "name") var name: String?
    @OptionalField(key: "address") var address: String?

    init() {}
}

/// A file sent or received with a letter, kept with it.
final class InteractionAttachment: Model, @unchecked Sendable {
    static let schema = "interaction_attachments"

    @ID(key: .id) var id: UUID?
    @Field(key: "interaction_id") var interactionID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data

    init() {}
}

/// One recipient of an SMS and what became of the message to them.
final class SMSRecipient: Model, @unchecked Sendable {
    static let schema = "sms_recipients"
    enum State: String, Codable, CaseIterable, Sendable { case queued, sending, sent, delivered, failed }

    @ID(key: .id) var id: UUID?
    @Field(key: "interaction_id") var interactionID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "phone") var phone: String
    @Field(key: "state") var state: State
    @OptionalField(key: "error") var error: String?
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}
