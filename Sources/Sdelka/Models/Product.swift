import Fluent
import Vapor

/// A group of products (Группа номенклатуры); groups form a tree.
final class ProductGroup: CatalogModel, @unchecked Sendable {
    static let schema = "product_groups"
    static let objectType = "productGroup"
    static let hasParent = true

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @OptionalField(key: "parent_id") var parentID: UUID?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

/// One of our own legal entities (Организация) that sells and signs contracts.
final class Organization: CatalogModel, @unchecked Sendable {
    static let schema = "organizations"
    static let objectType = "organization"

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

/// A product (Номенклатура): `sku` is the accounting system's key that sales files name.
final class Product: RecordModel, @unchecked Sendable {
    static let schema = "products"
    static let objectType = "product"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "sku") var sku: String
    @Field(key: "name") var name: String
    @OptionalField(key: "group_id") var groupID: UUID?
    @Field(key: "unit") var unit: String
    @OptionalField(key: "price_cents") var priceCents: Int64?
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}
