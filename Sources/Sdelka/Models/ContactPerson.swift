import Fluent
import SdelkaCore
import Vapor

/// Контактное лицо партнера (DOMAIN.md §1). `until` ends the relationship; the person and
/// their history stay.
final class ContactPerson: RecordModel, @unchecked Sendable {
    static let schema = "contact_persons"
    static let objectType = "contactPerson"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @OptionalField(key: "position") var position: String?
    @OptionalField(key: "gender") var gender: Partner.Gender?
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "since") var since: String?
    @OptionalField(key: "until") var until: String?
    @Field(key: "search_text") var searchText: String

    // relationships
    @Field(key: "partner_id") var partnerID: UUID

    init() {}
}

/// A role a contact person plays (decision maker, accountant, buyer…): a catalogue.
final class ContactRole: CatalogModel, @unchecked Sendable {
    static let schema = "contact_roles"
    static let objectType = "contactRole"

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

final class ContactPersonRole: Model, @unchecked Sendable {
    static let schema = "contact_person_roles"

    @ID(key: .id) var id: UUID?
    @Field(key: "contact_person_id") var contactPersonID: UUID
    @Field(key: "role_id") var roleID: UUID

    init() {}
}

extension ContactPerson {
    /// The names of some contact persons in one query, of partners `scope` lets the user see.
    static func names(of ids: some Sequence<UUID>, scope: AccessScope, on db: any Database) async throws -> [UUID: String] {
        let unique = Set(ids)
        guard !unique.isEmpty else { return [:] }
        let rows = try await ContactPersonQueries.scoped(scope, on: db).filter(\.$id ~~ unique).all()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.requireID(), $0.name) })
    }
}
