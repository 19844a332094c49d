import Foundation
import SdelkaCore
import Vapor

/// Whom a mailing addresses (ARCHITECTURE.md "Wave 2 contract"): sources of partners and
/// contact persons, extra addresses, and whom inside each partner. `eventAttendance` narrows an
/// event to those invited or those who came; `surveyRespondents` a survey to those who have not
/// answered yet.
struct MailingAudienceDTO: Content, Equatable {
    enum Whom: String, Codable, CaseIterable, Sendable { case partner, contactPersons, all }
    enum Attendance: String, Codable, CaseIterable, Sendable { case all, invited, attended }
    enum SurveyRespondents: String, Codable, CaseIterable, Sendable { case all, unanswered }

    var segmentId: UUID?
    var eventId: UUID?
    var eventAttendance: Attendance?
    var surveyId: UUID?
    var surveyRespondents: SurveyRespondents?
    var partnerIds: [UUID]?
    var contactPersonIds: [UUID]?
    var extraAddresses: [String]?
    var whom: Whom?
    var roleId: UUID?

    var hasSource: Bool {
        segmentId != nil || eventId != nil || surveyId != nil || !(partnerIds ?? []).isEmpty
            || !(contactPersonIds ?? []).isEmpty || !(extraAddresses ?? []).isEmpty
    }
}

struct MailingTriggerDTO: Content, Equatable {
    var event: Mailing.Trigger?
    var dealKindId: UUID?
    var stageId: UUID?
    var delayMinutes: Int?
}

struct MailingStatsDTO: Content, Equatable {
    var recipients = 0
    var sent = 0
    var failed = 0
    var skipped = 0
    /// Handed to the outbox or waiting for their turn.
    var queued = 0
}

struct MailingDTO: Content, Equatable {
    var id: UUID
    var name: String
    var channel: Mailing.Channel
    var topicId: UUID?
    var subject: String
    var text: String
    var html: String?
    var sender: String?
    var attachments: [AttachmentDTO]
    var audience: MailingAudienceDTO
    var mode: Mailing.Mode
    var sendAt: Date?
    var validUntil: Date?
    var trigger: MailingTriggerDTO?
    var status: Mailing.Status
    var stats: MailingStatsDTO
    var ownerId: UUID?
    var startedAt: Date?
    var finishedAt: Date?
    var deletionMark: Bool
    var version: Int

    init(_ m: Mailing, stats: MailingStatsDTO = MailingStatsDTO(), attachments: [AttachmentDTO] = []) throws {
        self.attachments = attachments
        id = try m.requireID()
        name = m.name
        channel = m.channel
        topicId = m.topicID
        subject = m.subject
        text = m.text
        html = m.html
        sender = m.sender
        audience = Self.audience(of: m)
        mode = m.mode
        sendAt = m.sendAt
        validUntil = m.validUntil
        trigger = m.triggerEvent.map { MailingTriggerDTO(event: $0, dealKindId: m.triggerDealKindID, stageId: m.triggerStageID, delayMinutes: m.delayMinutes) }
        status = m.status
        self.stats = stats
        ownerId = m.ownerID
        startedAt = m.startedAt
        finishedAt = m.finishedAt
        deletionMark = m.deletionMark
        version = m.version
    }

    static func audience(of m: Mailing) -> MailingAudienceDTO {
        (try? JSONDecoder().decode(MailingAudienceDTO.self, from: Data(m.audience.utf8))) ?? MailingAudienceDTO()
    }
}

struct MailingInput: Content {
    var name: String?
    var channel: Mailing.Channel?
    var topicId: UUID?
    var subject: String?
    var text: String?
    var html: String?
    var sender: String?
    /// New files with their content, and the `id`s of the mailing's files to keep.
    var attachments: [AttachmentInput]?
    var audience: MailingAudienceDTO?
    var mode: Mailing.Mode?
    var sendAt: Date?
    var validUntil: Date?
    var trigger: MailingTriggerDTO?
    var version: Int?
}

struct MailingRecipientDTO: Content, Equatable {
    var id: UUID
    var address: String?
    var channel: String?
    var partnerId: UUID?
    var contactPersonId: UUID?
    var status: MailingRecipient.Status
    var reason: String?
    var interactionId: UUID?
    var occurrence: String?
    var dueAt: Date

    init(_ r: MailingRecipient) throws {
        id = try r.requireID()
        address = r.address
        channel = r.channel
        partnerId = r.partnerID
        contactPersonId = r.contactPersonID
        status = r.status
        reason = r.reason
        interactionId = r.interactionID
        occurrence = r.occurrence.isEmpty ? nil : r.occurrence
        dueAt = r.dueAt
    }
}

/// `POST /mailings/{id}/preview`: how many would receive it now, who would not and why, and
/// the letter as the chosen (or first) recipient would see it.
struct MailingPreviewDTO: Content, Equatable {
    struct Excluded: Content, Equatable {
        var address: String?
        var partnerId: UUID?
        var contactPersonId: UUID?
        var reason: MailingRecipient.Reason
    }
    struct Sample: Content, Equatable {
        var address: String?
        var subject: String
        var text: String
        var html: String?
    }
    var recipients: Int
    var excluded: [Excluded]
    var excludedTotal: Int
    var sample: Sample?
}

/// One address of a partner or contact person and one topic: does it receive it.
struct SubscriptionDTO: Content, Equatable {
    var address: String
    var topicId: UUID
    var subscribed: Bool
    /// Service notices cannot be unsubscribed from.
    var unsubscribable: Bool?
}

/// `GET /reports/mailings/{id}`: what the mailing achieved.
struct MailingResultsDTO: Content, Equatable {
    var recipients: Int
    var sent: Int
    var failed: Int
    var skipped: Int
    var queued: Int
    var skippedByReason: [String: Int]
    var unsubscribedAfter: Int
    var replies: Int
    var days: Int
    var deals: Int
    var dealsAmount: Decimal
    var revenue: Decimal
}
