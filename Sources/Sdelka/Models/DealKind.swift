import Fluent
import Vapor

/// Вид сделки: what kind of sale a deal is and, for `manual` and `process` kinds, the ordered
/// stages it goes through; a `process` kind is a sales regulation with a checklist per stage.
final class DealKind: RecordModel, @unchecked Sendable {
    static let schema = "deal_kinds"
    static let objectType = "dealKind"

    enum KindType: String, Codable, CaseIterable, Sendable { case free, manual, process }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "type") var type: KindType
    @Field(key: "use_demand") var useDemand: Bool
    @Field(key: "allowed") var allowed: Bool
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

final class DealStage: Model, @unchecked Sendable {
    static let schema = "deal_stages"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind_id") var kindID: UUID
    /// The stage's `order`, from 1.
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String

    init() {}
}

/// One action of a `process` stage's checklist.
final class ChecklistAction: Model, @unchecked Sendable {
    static let schema = "deal_checklist_actions"

    @ID(key: .id) var id: UUID?
    @Field(key: "stage_id") var stageID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    @Field(key: "required") var required: Bool
    @OptionalField(key: "due_days") var dueDays: Int?

    init() {}
}

/// Причина проигрыша сделки.
final class LossReason: CatalogModel, @unchecked Sendable {
    static let schema = "loss_reasons"
    static let objectType = "lossReason"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "name") var name: String
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

/// Причина неудовлетворения спроса: why a line of primary demand was not (fully) satisfied.
final class UnsatisfiedReason: CatalogModel, @unchecked Sendable {
    static let schema = "unsatisfied_reasons"
    static let objectType = "unsatisfiedReason"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "name") var name: String
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}
