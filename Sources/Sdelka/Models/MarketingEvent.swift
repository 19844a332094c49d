import Fluent
import Vapor

/// Маркетинговое мероприятие (DOMAIN.md §2): an exhibition, a seminar, a mailing campaign —
/// with its dates, money and participants, so that its effectiveness can be reported.
final class MarketingEvent: RecordModel, @unchecked Sendable {
    static let schema = "marketing_events"
    static let objectType = "marketingEvent"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @OptionalField(key: "kind") var kind: String?
    @Field(key: "planned_start") var plannedStart: String
    @Field(key: "planned_end") var plannedEnd: String
    @OptionalField(key: "actual_start") var actualStart: String?
    @OptionalField(key: "actual_end") var actualEnd: String?
    @Field(key: "finished") var finished: Bool
    @OptionalField(key: "budget_cents") var budgetCents: Int64?
    @OptionalField(key: "actual_cost_cents") var actualCostCents: Int64?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    // relationships
    @OptionalField(key: "channel_id") var channelID: UUID?
    @OptionalField(key: "responsible_id") var responsibleID: UUID?
    @OptionalField(key: "target_segment_id") var targetSegmentID: UUID?

    init() {}
}

/// A partner (and maybe one of its contact persons) taking part in a marketing event.
final class EventParticipant: Model, @unchecked Sendable {
    static let schema = "marketing_event_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @OptionalField(key: "role") var role: String?
    @Field(key: "invited") var invited: Bool
    @Field(key: "attended") var attended: Bool

    init() {}
}
