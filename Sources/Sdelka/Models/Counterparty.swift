import Fluent
import SdelkaCore
import Vapor

/// Контрагент: a legal entity that signs contracts and appears on invoices (DOMAIN.md §1).
final class Counterparty: RecordModel, @unchecked Sendable {
    static let schema = "counterparties"
    static let objectType = "counterparty"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @OptionalField(key: "code") var code: String?
    @Field(key: "name") var name: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "legal_form") var legalForm: LegalForm
    @OptionalField(key: "inn") var inn: String?
    @OptionalField(key: "kpp") var kpp: String?
    @OptionalField(key: "ogrn") var ogrn: String?
    @OptionalField(key: "okpo") var okpo: String?
    @OptionalField(key: "country") var country: String?
    /// JSON list of `HistoryEntry`: earlier names with the day they stopped being used.
    @Field(key: "name_history") var nameHistory: String
    @Field(key: "kpp_history") var kppHistory: String
    @Field(key: "search_text") var searchText: String

    // relationships
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "head_counterparty_id") var headCounterpartyID: UUID?

    init() {}
}

/// An earlier value of a counterparty's name or KPP and the last day it was in force.
struct HistoryEntry: Content, Equatable {
    var value: String
    var until: String
}
