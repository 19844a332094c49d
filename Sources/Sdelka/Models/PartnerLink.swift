import Fluent
import Vapor

/// A kind of link between partners that names both directions (Связи между партнерами):
/// in a link `partner → linkedPartner`, the partner is `name` to the linked one ("parent
/// company") and the linked partner is `reverseName` to it ("subsidiary").
final class PartnerLinkKind: CatalogModel, @unchecked Sendable {
    static let schema = "partner_link_kinds"
    static let objectType = "partnerLinkKind"
    static let hasReverseName = true

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @OptionalField(key: "reverse_name") var reverseName: String?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

final class PartnerLink: RecordModel, @unchecked Sendable {
    static let schema = "partner_links"
    static let objectType = "partnerLink"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // relationships
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "linked_partner_id") var linkedPartnerID: UUID
    @Field(key: "kind_id") var kindID: UUID

    // data fields
    @OptionalField(key: "comment") var comment: String?

    init() {}
}
