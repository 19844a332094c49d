import Fluent
import SdelkaCore
import Vapor

/// A client's claim (Претензия клиента, DOMAIN.md §7): what the client claims, on what basis,
/// why it happened and who was at fault, and how it ended.
final class Claim: RecordModel, @unchecked Sendable {
    static let schema = "claims"
    static let objectType = "claim"

    enum BasisType: String, Codable, CaseIterable, Sendable { case sale, deal, interaction }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "number") var number: String
    @Field(key: "date") var date: String
    @OptionalField(key: "amount_cents") var amountCents: Int64?
    @OptionalField(key: "basis_type") var basisType: BasisType?
    @OptionalField(key: "basis_id") var basisID: UUID?
    @Field(key: "description") var details: String
    @Field(key: "status") var status: ClaimStatus
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "settled_cents") var settledCents: Int64?
    @OptionalField(key: "closed_on") var closedOn: String?
    /// Days from `date` to `closed_on`, kept with the closing so that reports only add them up.
    @OptionalField(key: "days_to_close") var daysToClose: Int?
    @Field(key: "search_text") var searchText: String

    // relationships
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "counterparty_id") var counterpartyID: UUID?
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @OptionalField(key: "cause_id") var causeID: UUID?
    @OptionalField(key: "department_id") var departmentID: UUID?
    @OptionalField(key: "guilty_user_id") var guiltyUserID: UUID?
    @OptionalField(key: "responsible_id") var responsibleID: UUID?

    init() {}
}

/// Why claims happen (Причины претензий): late delivery, defect, wrong goods…
final class ClaimCause: CatalogModel, @unchecked Sendable {
    static let schema = "claim_causes"
    static let objectType = "claimCause"

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

/// The departments a claim may hold at fault (warehouse, logistics, sales…).
final class ClaimDepartment: CatalogModel, @unchecked Sendable {
    static let schema = "claim_departments"
    static let objectType = "claimDepartment"

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
