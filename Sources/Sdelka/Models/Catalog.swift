import Fluent
import SdelkaCore
import Vapor

/// A simple named catalogue (справочник): business regions, access groups and, later,
/// channels, loss reasons and the like share one shape and one controller.
protocol CatalogModel: RecordModel {
    var name: String { get set }
    var comment: String? { get set }
    var searchText: String { get set }
    /// Link kinds name both directions; other catalogues have one name.
    static var hasReverseName: Bool { get }
    var reverseName: String? { get set }
    /// Product groups form a tree; other catalogues are flat.
    static var hasParent: Bool { get }
    var parentID: UUID? { get set }
    /// The permission needed to change the catalogue; reading needs only a signed-in user.
    static var editPermission: Permission { get }
    /// Mailing topics say whether one may unsubscribe; other catalogues have no such flag.
    static var hasUnsubscribable: Bool { get }
    var unsubscribable: Bool? { get set }
    init()
}

extension CatalogModel {
    static var editPermission: Permission { .manageCatalogs }
    static var hasReverseName: Bool { false }
    var reverseName: String? {
        get { nil }
        set {}
    }
    static var hasParent: Bool { false }
    static var hasUnsubscribable: Bool { false }
    var unsubscribable: Bool? {
        get { nil }
        set {}
    }
    var parentID: UUID? {
        get { nil }
        set {}
    }
}

final class BusinessRegion: CatalogModel, @unchecked Sendable {
    static let schema = "business_regions"
    static let objectType = "businessRegion"

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

final class AccessGroup: CatalogModel, @unchecked Sendable {
    static var editPermission: Permission { .manageAccessGroups }
    static let schema = "access_groups"
    static let objectType = "accessGroup"

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

/// The grant of a partner access group to a user.
final class UserAccessGroup: Model, @unchecked Sendable {
    static let schema = "user_access_groups"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "access_group_id") var accessGroup: AccessGroup

    init() {}
}
