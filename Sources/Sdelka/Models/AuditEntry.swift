import Fluent
import Vapor

/// Who changed what, when, with old and new values (DOMAIN.md §9).
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_log"

    enum Action: String, Codable, Sendable, CaseIterable {
        case create, update, markDeleted, restore, purge, merge
    }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date

    // data fields
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "user_login") var userLogin: String
    @Field(key: "action") var action: Action
    @Field(key: "object_type") var objectType: String
    @Field(key: "object_id") var objectID: String
    /// JSON array of `FieldChange`.
    @Field(key: "changes") var changes: String

    init() {}
}
