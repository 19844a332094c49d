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

/// A failed login, kept for a short while to throttle password guessing.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "login_key") var loginKey: String
    @Field(key: "at") var at: Date
    @OptionalField(key: "client_address") var clientAddress: String?

    init() {}

    init(loginKey: String, at: Date, clientAddress: String? = nil) {
        self.loginKey = loginKey
        self.at = at
        self.clientAddress = clientAddress
    }
}
