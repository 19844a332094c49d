import Foundation
import SdelkaCore
import Vapor

struct InteractionSubjectDTO: Content, Equatable, Hashable {
    var type: Interaction.SubjectType
    var id: UUID
}

/// One participant; one of a partner the user may not see is only `{"hidden":true}`, and
/// sending it back so (or leaving it out) keeps it as stored.
struct InteractionParticipantDTO: Content, Equatable {
    var partnerId: UUID?
    var contactPersonId: UUID?
    var userId: UUID?
    var name: String?
    var address: String?
    var hidden: Bool?

    static let hiddenOne = InteractionParticipantDTO(hidden: true)
}

struct SMSRecipientDTO: Content, Equatable {
    var phone: String
    var state: SMSRecipient.State?
    var error: String?
}

/// A file of a letter as the API shows it; the content is read at
/// `GET /api/v1/interactions/{id}/attachments/{attachmentId}`.
struct AttachmentDTO: Content, Equatable {
    var id: UUID
    var filename: String
    var contentType: String
    var size: Int
}

/// A file given with a letter: its content in base64, or the `id` of one of the letter's
/// files to keep as it is.
struct AttachmentInput: Content, Equatable {
    var id: UUID?
    var filename: String?
    var contentType: String?
    var content: String?
}

/// The chain an interaction belongs to: how many of its interactions are not reviewed and
/// when the last one took place.
struct ChainDTO: Content, Equatable {
    var unreviewed: Int
    var lastAt: Date?
}

struct InteractionDTO: Content, Equatable {
    var id: UUID
    var type: Interaction.Kind
    var topic: String
    var description: String?
    var importance: Interaction.Importance
    var responsibleId: UUID?
    var authorId: UUID?
    var createdAt: Date?
    var occurredAt: Date
    var basisId: UUID?
    var subject: InteractionSubjectDTO
    var chain: ChainDTO?
    var partnerId: UUID?
    var participants: [InteractionParticipantDTO]
    var reviewed: Bool
    var reviewAfter: String?
    var start: Date?
    var end: Date?
    var place: String?
    var plannedAt: Date?
    var incoming: Bool?
    var phone: String?
    var durationSeconds: Int?
    var from: String?
    var to: String?
    var cc: String?
    var bodyText: String?
    var bodyHtml: String?
    var status: Interaction.MailStatus?
    var sentAt: Date?
    var error: String?
    var messageId: String?
    var attachments: [AttachmentDTO]?
    var text: String?
    var transliterate: Bool?
    var sendAt: Date?
    var validUntil: Date?
    var recipients: [SMSRecipientDTO]?
    var deletionMark: Bool
    var version: Int

    init(_ i: Interaction, participants: [InteractionParticipantDTO], recipients: [SMSRecipientDTO]?, attachments: [AttachmentDTO]? = nil, chain: ChainDTO?) throws {
        id = try i.requireID()
        type = i.type
        topic = i.topic
        description = i.details
        importance = i.importance
        responsibleId = i.responsibleID
        authorId = i.authorID
        createdAt = i.createdAt
        occurredAt = i.occurredAt
        basisId = i.basisID
        subject = InteractionSubjectDTO(type: i.subjectType, id: i.subjectID)
        self.chain = chain
        partnerId = i.partnerID
        self.participants = participants
        reviewed = i.reviewed
        reviewAfter = i.reviewAfter
        start = i.start
        end = i.end
        place = i.place
        plannedAt = i.plannedAt
        incoming = i.incoming
        phone = i.phone
        durationSeconds = i.durationSeconds
        from = i.from
        to = i.to
        cc = i.cc
        bodyText = i.bodyText
        bodyHtml = i.bodyHTML
        status = i.status
        sentAt = i.sentAt
        error = i.error
        messageId = i.messageID
        self.attachments = i.type == .email ? (attachments ?? []) : nil
        text = i.text
        transliterate = i.transliterate
        sendAt = i.sendAt
        validUntil = i.validUntil
        self.recipients = recipients
        deletionMark = i.deletionMark
        version = i.version
    }
}

/// Create and PATCH body; absent fields stay as they are. `type` is fixed once created.
struct InteractionInput: Content {
    var type: Interaction.Kind?
    var topic: String?
    var description: String?
    var importance: Interaction.Importance?
    var responsibleId: UUID?
    var basisId: UUID?
    var subject: InteractionSubjectDTO?
    var participants: [InteractionParticipantDTO]?
    var reviewed: Bool?
    var reviewAfter: String?
    var start: Date?
    var end: Date?
    var place: String?
    var plannedAt: Date?
    var incoming: Bool?
    var phone: String?
    var durationSeconds: Int?
    var from: String?
    var to: String?
    var cc: String?
    var bodyText: String?
    var bodyHtml: String?
    var status: Interaction.MailStatus?
    /// Replaces the letter's files when given.
    var attachments: [AttachmentInput]?
    var text: String?
    var transliterate: Bool?
    var sendAt: Date?
    var validUntil: Date?
    var recipients: [SMSRecipientDTO]?
    var version: Int?

    /// The rules of DOMAIN.md §3 on the interaction as it will be after this input.
    static func validate(_ i: Interaction, recipients: [SMSRecipientDTO]?) -> FieldErrors {
        var errors = FieldErrors()
        if i.topic.cleaned == nil { errors.add("topic", "is required") }
        if [.meeting, .call, .planned].contains(i.type), i.details.cleaned == nil { errors.add("description", "is required") }
        if let after = i.reviewAfter, CalendarDate(accepting: after) == nil { errors.add("reviewAfter", CalendarDate.acceptedMessage) }
        switch i.type {
        case .meeting:
            if i.start == nil { errors.add("start", "is required") }
            if let start = i.start, let end = i.end, end < start { errors.add("end", "must not be before start") }
        case .planned:
            break
        case .call:
            if i.incoming == nil { errors.add("incoming", "is required") }
            if let seconds = i.durationSeconds, seconds < 0 { errors.add("durationSeconds", "must not be negative") }
            if let phone = i.phone, !phone.isEmpty, Phone.normalize(phone).count < 5 { errors.add("phone", "is not a phone number") }
        case .email:
            if i.status == nil { errors.add("status", "is required") }
            for (field, value) in [("from", i.from), ("to", i.to), ("cc", i.cc)] {
                if let value, !value.isEmpty, EmailAddress.list(value) == nil { errors.add(field, "must be e-mail addresses separated by commas") }
            }
            if i.status == .queued, (i.to ?? "").isEmpty, (i.cc ?? "").isEmpty { errors.add("to", "is required to send a letter") }
        case .sms:
            if i.text.cleaned == nil { errors.add("text", "is required") }
            if let from = i.sendAt, let until = i.validUntil, until < from { errors.add("validUntil", "must not be before sendAt") }
            for (index, r) in (recipients ?? []).enumerated() where Phone.normalize(r.phone).count < 5 {
                errors.add("recipients.\(index).phone", "is not a phone number")
            }
        }
        return errors
    }
}

extension EmailAddress {
    /// "a@b.ru, Иван <c@d.ru>" as its bare addresses; nil when any of them is not an address.
    static func list(_ text: String) -> [String]? {
        guard let mailboxes = MailAddress.strictList(text), mailboxes.allSatisfy({ looksValid($0.address) }) else { return nil }
        return mailboxes.map(\.address)
    }
}
