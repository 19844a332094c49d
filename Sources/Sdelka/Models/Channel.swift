import Fluent
import Vapor

/// An advertising channel (Канал рекламного воздействия): exhibition, web search, referral…
final class Channel: CatalogModel, @unchecked Sendable {
    static let schema = "channels"
    static let objectType = "channel"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

/// Источник первичного интереса: where a client's interest came from (DOMAIN.md §2). Filled
/// when a partner is registered, a deal opened or a call or letter registered; it stays
/// available whatever parts are switched off.
final class PrimaryInterest: Model, @unchecked Sendable {
    static let schema = "primary_interests"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "deal_id") var dealID: UUID?
    @Field(key: "channel_id") var channelID: UUID
    @OptionalField(key: "event_id") var eventID: UUID?
    @OptionalField(key: "referrer_partner_id") var referrerPartnerID: UUID?
    @OptionalField(key: "note") var note: String?

    init() {}
}
