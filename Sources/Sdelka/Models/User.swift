import Fluent
import SdelkaCore
import Vapor

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "login") var login: String
    @Field(key: "login_key") var loginKey: String
    @Field(key: "search_text") var searchText: String
    @Field(key: "name") var name: String
    @OptionalField(key: "email") var email: String?
    /// For `{{manager.phone}}` in mailings.
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "role") var role: Role
    @Field(key: "language") var language: Language
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "active") var active: Bool

    // relationships
    @Siblings(through: UserAccessGroup.self, from: \.$user, to: \.$accessGroup) var accessGroups: [AccessGroup]

    init() {}

    init(id: UUID? = nil, login: String, name: String, email: String?, role: Role,
         language: Language = .ru, passwordHash: String, active: Bool = true) {
        self.id = id
        self.version = 1
        self.deletionMark = false
        self.login = login
        self.loginKey = User.key(for: login)
        self.name = name
        self.email = email
        self.role = role
        self.language = language
        self.passwordHash = passwordHash
        self.active = active
        self.searchText = ""
        refreshSearchText()
    }

    func refreshSearchText() {
        searchText = SearchText.normalize(login, name, email)
    }

    /// Logins are matched without regard to case, Unicode-aware (SQLite's lower() is ASCII-only).
    static func key(for login: String) -> String {
        login.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

enum Language: String, Codable, CaseIterable, Sendable {
    case ru, en
}
