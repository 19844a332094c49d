import Fluent
import Vapor

/// A sales document (Реализация) or, with negative quantities and amounts, a return. Its
/// lines live in `sale_lines` (see `SaleLines`); revenue and cost are their sums, kept here.
final class Sale: RecordModel, @unchecked Sendable {
    static let schema = "sales"
    static let objectType = "sale"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "number") var number: String
    @Field(key: "date") var date: String
    @Field(key: "is_return") var isReturn: Bool
    @Field(key: "revenue_cents") var revenueCents: Int64
    @Field(key: "cost_cents") var costCents: Int64
    @Field(key: "line_count") var lineCount: Int
    /// The key of the document's lines in `sale_lines` (internal; not part of the API).
    @Field(key: "line_key") var lineKey: Int64
    @OptionalField(key: "comment") var comment: String?

    // relationships
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "counterparty_id") var counterpartyID: UUID?
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @OptionalField(key: "deal_id") var dealID: UUID?
    @OptionalField(key: "agreement_id") var agreementID: UUID?
    @OptionalField(key: "contract_id") var contractID: UUID?

    init() {}
}

/// Соглашение and Договор share one shape: they hang off a counterparty, name our
/// organization, and carry a number, dates and terms.
protocol CounterpartyTerms: RecordModel {
    var counterpartyID: UUID { get set }
    var organizationID: UUID? { get set }
    var number: String { get set }
    var name: String { get set }
    var date: String? { get set }
    var validFrom: String? { get set }
    var validTo: String? { get set }
    var priceType: String? { get set }
    var paymentTerms: String? { get set }
    var comment: String? { get set }
    var searchText: String { get set }
    init()
}

final class Agreement: CounterpartyTerms, @unchecked Sendable {
    static let schema = "agreements"
    static let objectType = "agreement"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "counterparty_id") var counterpartyID: UUID
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @Field(key: "number") var number: String
    @Field(key: "name") var name: String
    @OptionalField(key: "date") var date: String?
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "valid_to") var validTo: String?
    @OptionalField(key: "price_type") var priceType: String?
    @OptionalField(key: "payment_terms") var paymentTerms: String?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

final class Contract: CounterpartyTerms, @unchecked Sendable {
    static let schema = "contracts"
    static let objectType = "contract"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "counterparty_id") var counterpartyID: UUID
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @Field(key: "number") var number: String
    @Field(key: "name") var name: String
    @OptionalField(key: "date") var date: String?
    @OptionalField(key: "valid_from") var validFrom: String?
    @OptionalField(key: "valid_to") var validTo: String?
    @OptionalField(key: "price_type") var priceType: String?
    @OptionalField(key: "payment_terms") var paymentTerms: String?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}
