import Fluent
import SdelkaCore
import Vapor

/// Партнер: the client as a business relationship (DOMAIN.md §1).
final class Partner: RecordModel, @unchecked Sendable {
    static let schema = "partners"
    static let objectType = "partner"

    enum Kind: String, Codable, CaseIterable, Sendable { case company, person }
    enum Gender: String, Codable, CaseIterable, Sendable { case male, female }

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
    @Field(key: "kind") var kind: Kind
    @Field(key: "is_client") var isClient: Bool
    @Field(key: "is_supplier") var isSupplier: Bool
    @Field(key: "is_competitor") var isCompetitor: Bool
    @Field(key: "is_other") var isOther: Bool
    @OptionalField(key: "registered_on") var registeredOn: String?
    @OptionalField(key: "gender") var gender: Gender?
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "comment") var comment: String?
    /// Name, full name, code — normalised for `q` (SQLite's lower() is ASCII-only).
    @Field(key: "search_text") var searchText: String
    /// `PartnerName.key(name)`, for duplicate search.
    @Field(key: "name_key") var nameKey: String

    // relationships
    @OptionalField(key: "parent_id") var parentID: UUID?
    @OptionalField(key: "main_manager_id") var mainManagerID: UUID?
    @OptionalField(key: "business_region_id") var businessRegionID: UUID?
    @OptionalField(key: "access_group_id") var accessGroupID: UUID?

    init() {}

    /// Fluent finds a model's fields by reflection on every load and save, and that was a third
    /// of the server's time for a page of 50 partners: here they are listed (in declaration
    /// order; `ModelFieldListTests` checks the list against reflection).
    var properties: [any AnyProperty] {
        [$id, $version, $deletionMark, $createdAt, $updatedAt, $code, $name, $fullName, $kind, $isClient, $isSupplier,
         $isCompetitor, $isOther, $registeredOn, $gender, $birthDate, $comment, $searchText, $nameKey, $parentID,
         $mainManagerID, $businessRegionID, $accessGroupID]
    }

    func refreshKeys() {
        searchText = SearchText.normalize(name, fullName, code)
        nameKey = PartnerName.key(name)
    }
}

/// Contact information (Контактная информация): the same `{type, kind, value}` list for
/// partners, counterparties and contact persons. Phones and e-mails also keep a normalised
/// form, so that an incoming call or letter finds its partner through an index.
final class ContactDetail: Model, @unchecked Sendable {
    static let schema = "contact_details"

    enum OwnerType: String, Codable, Sendable { case partner, counterparty, contactPerson }
    enum DetailType: String, Codable, CaseIterable, Sendable { case phone, email, address, web, fax, messenger, other }

    @ID(key: .id) var id: UUID?
    @Field(key: "owner_type") var ownerType: OwnerType
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "partner_id") var partnerID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "type") var type: DetailType
    @Field(key: "kind") var kind: String
    @Field(key: "value") var value: String
    @Field(key: "normalized") var normalized: String
    @OptionalField(key: "valid_from") var validFrom: String?

    init() {}

    /// Listed instead of found by reflection, as `Partner.properties`.
    var properties: [any AnyProperty] {
        [$id, $ownerType, $ownerID, $partnerID, $position, $type, $kind, $value, $normalized, $validFrom]
    }

    static func normalize(_ value: String, type: DetailType) -> String {
        switch type {
        case .phone, .fax: return Phone.normalize(value)
        case .email: return value.trimmingCharacters(in: .whitespaces).lowercased()
        default: return SearchText.normalize(value)
        }
    }
}

extension Partner {
    /// The names of some partners in one query, for pages and lists that show references:
    /// only of those `scope` lets the user see, so that no page names a hidden partner.
    static func names(of ids: some Sequence<UUID>, scope: AccessScope, on db: any Database) async throws -> [UUID: String] {
        let unique = Set(ids)
        guard !unique.isEmpty else { return [:] }
        let rows = try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ unique)
            .field(\.$id).field(\.$name).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.requireID(), $0.name) })
    }
}
