import Fluent
import Foundation
import SdelkaCore
import Vapor

/// Where a competitor's price was seen (Источник цены): a price list, a website, a client's
/// words, a tender, a field visit.
final class CompetitorPriceSource: CatalogModel, @unchecked Sendable {
    static let schema = "competitor_price_sources"
    static let objectType = "competitorPriceSource"

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

/// A competitor's price of one of our products on a date (Цена конкурента).
final class CompetitorPrice: RecordModel, @unchecked Sendable {
    static let schema = "competitor_prices"
    static let objectType = "competitorPrice"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "competitor_id") var competitorID: UUID
    @Field(key: "product_id") var productID: UUID
    @Field(key: "date") var date: String
    @Field(key: "price_cents") var priceCents: Int64
    @Field(key: "currency") var currency: String
    @OptionalField(key: "unit") var unit: String?
    @OptionalField(key: "source_id") var sourceID: UUID?
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    @OptionalField(key: "deal_id") var dealID: UUID?
    @OptionalField(key: "interaction_id") var interactionID: UUID?
    @OptionalField(key: "note") var note: String?

    init() {}
}

/// A file of a price observation: a photo of the price tag, a PDF price list.
final class CompetitorPriceFile: Model, StoredFile, @unchecked Sendable {
    static let schema = "competitor_price_files"
    static var owner: KeyPath<CompetitorPriceFile, FieldProperty<CompetitorPriceFile, UUID>> { \.$priceID }

    @ID(key: .id) var id: UUID?
    @Field(key: "price_id") var priceID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data

    var ownerID: UUID {
        get { priceID }
        set { priceID = newValue }
    }

    init() {}
}

/// A dated strength or weakness of a competitor.
final class CompetitorNote: RecordModel, @unchecked Sendable {
    static let schema = "competitor_notes"
    static let objectType = "competitorNote"

    enum Kind: String, Codable, CaseIterable, Sendable { case strength, weakness }

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "competitor_id") var competitorID: UUID
    @Field(key: "date") var date: String
    @Field(key: "kind") var kind: Kind
    @Field(key: "text") var text: String
    @OptionalField(key: "author_id") var authorID: UUID?

    init() {}
}
