import Fluent
import SdelkaCore
import Vapor

/// Сделка с клиентом (DOMAIN.md §4).
final class Deal: RecordModel, @unchecked Sendable {
    static let schema = "deals"
    static let objectType = "deal"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "number") var number: Int
    @Field(key: "name") var name: String
    @Field(key: "status") var status: DealStatus
    @Field(key: "start_date") var startDate: String
    @OptionalField(key: "end_date") var endDate: String?
    @Field(key: "closed") var closed: Bool
    @OptionalField(key: "potential_cents") var potentialCents: Int64?
    @Field(key: "currency") var currency: String
    @OptionalField(key: "manager_probability") var managerProbability: Int?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    // relationships
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "kind_id") var kindID: UUID
    @OptionalField(key: "stage_id") var stageID: UUID?
    @OptionalField(key: "responsible_id") var responsibleID: UUID?
    @OptionalField(key: "loss_reason_id") var lossReasonID: UUID?
    @OptionalField(key: "agreement_id") var agreementID: UUID?

    init() {}
}

/// A partner taking part in a deal: the client's side, a partner of ours, or a competitor
/// (the one that took a lost deal has `wonDeal`).
final class DealParticipant: Model, @unchecked Sendable {
    static let schema = "deal_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "role") var role: String?
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @OptionalField(key: "contact_role") var contactRole: String?
    @Field(key: "won_deal") var wonDeal: Bool

    init() {}
}

/// A line of primary demand (Первичный спрос).
final class DemandLine: Model, @unchecked Sendable {
    static let schema = "deal_demand"

    @ID(key: .id) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "description") var description: String
    @OptionalField(key: "amount_cents") var amountCents: Int64?
    @Field(key: "satisfied_percent") var satisfiedPercent: Int
    @OptionalField(key: "unsatisfied_reason_id") var unsatisfiedReasonID: UUID?

    init() {}
}

/// A row of stage statistics as stored; `StageStatistics` in the core decides what they hold.
final class DealStageRow: Model, @unchecked Sendable {
    static let schema = "deal_stage_rows"

    @ID(key: .id) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "kind_id") var kindID: UUID
    @Field(key: "stage_id") var stageID: UUID
    @Field(key: "stage_order") var stageOrder: Int
    @Field(key: "start_at") var startAt: Date
    @OptionalField(key: "end_at") var endAt: Date?
    @OptionalField(key: "duration_days") var durationDays: Int?
    @OptionalField(key: "potential_cents") var potentialCents: Int64?
    @Field(key: "result") var result: StageResult
    @OptionalField(key: "responsible_id") var responsibleID: UUID?
    /// A head who let the deal leave this stage with required checklist actions open.
    @OptionalField(key: "override_by") var overrideBy: UUID?
    @OptionalField(key: "override_at") var overrideAt: Date?

    init() {}

    var core: StageRow {
        StageRow(id: id!, stageID: stageID, order: stageOrder, start: startAt, end: endAt, durationDays: durationDays,
                 potentialCents: potentialCents, result: result, responsibleID: responsibleID)
    }
}

/// An action of a `process` stage's checklist for one deal: an open one is a task of the
/// deal's responsible manager.
final class DealTask: Model, @unchecked Sendable {
    static let schema = "deal_tasks"

    @ID(key: .id) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "stage_id") var stageID: UUID
    @OptionalField(key: "action_id") var actionID: UUID?
    @Field(key: "stage_order") var stageOrder: Int
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    @Field(key: "required") var required: Bool
    @OptionalField(key: "due_date") var dueDate: String?
    @OptionalField(key: "responsible_id") var responsibleID: UUID?
    @Field(key: "done") var done: Bool
    @OptionalField(key: "done_at") var doneAt: Date?
    @OptionalField(key: "done_by") var doneBy: UUID?

    init() {}
}
