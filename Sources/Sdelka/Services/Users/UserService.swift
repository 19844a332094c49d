import Fluent
import SdelkaCore
import Vapor

/// The rules of changing users, shared by the API, the web UI and the first-start bootstrap.
struct UserService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let hasher: AsyncPasswordHasher

    static func snapshot(_ user: User, grants: [UUID]) throws -> UserAuditSnapshot {
        UserAuditSnapshot(user: try UserDTO(user, accessGroupIds: grants), passwordHash: user.passwordHash)
    }

    func grants(of user: User) async throws -> [UUID] {
        try await UserAccessGroup.query(on: db).filter(\.$user.$id == user.requireID()).all(\.$accessGroup.$id)
    }

    func create(_ input: UserInput) async throws -> User {
        var errors = input.validate(creating: true)
        try await checkLoginFree(input.login, except: nil, into: &errors)
        try await checkGroups(input.accessGroupIds, into: &errors)
        try errors.check()
        let hash = try await hasher.hash(input.password!).get()
        let user = User(login: input.login!.trimmingCharacters(in: .whitespaces),
                        name: input.name!.trimmingCharacters(in: .whitespaces),
                        email: input.email.flatMap { $0.isEmpty ? nil : $0 },
                        role: Role(rawValue: input.role!)!,
                        language: input.language.flatMap(Language.init(rawValue:)) ?? .ru,
                        passwordHash: hash, active: input.active ?? true)
        user.phone = input.phone.flatMap { $0.isEmpty ? nil : $0 }
        let groups = Array(Set(input.accessGroupIds ?? []))
        try await writer(grants: groups).create(user) { tx in
            try await Self.replaceGrants(of: user, with: groups, on: tx)
        }
        return user
    }

    /// `keepingToken`: the session a user changes their own password from stays signed in.
    func update(_ user: User, with input: UserInput, keepingToken: UUID? = nil) async throws {
        var errors = input.validate(creating: false)
        try await checkLoginFree(input.login, except: user.id, into: &errors)
        try await checkGroups(input.accessGroupIds, into: &errors)
        try errors.check()
        let oldGrants = try await grants(of: user)
        let before = try Self.snapshot(user, grants: oldGrants)
        let newRole = input.role.flatMap(Role.init(rawValue:)) ?? user.role
        let newActive = input.active ?? user.active
        if user.role == .admin && user.active && (newRole != .admin || !newActive) {
            try await ensureAnotherAdmin(than: user)
        }
        if let login = input.login?.trimmingCharacters(in: .whitespaces) {
            user.login = login
            user.loginKey = User.key(for: login)
        }
        if let name = input.name { user.name = name.trimmingCharacters(in: .whitespaces) }
        if let email = input.email { user.email = email.isEmpty ? nil : email }
        if let phone = input.phone { user.phone = phone.isEmpty ? nil : phone }
        user.role = newRole
        user.active = newActive
        if let language = input.language.flatMap(Language.init(rawValue:)) { user.language = language }
        if let password = input.password { user.passwordHash = try await hasher.hash(password).get() }
        user.refreshSearchText()
        let newGrants = input.accessGroupIds.map { Array(Set($0)) } ?? oldGrants
        let revokeSessions = input.password != nil || !newActive
        let userID = try user.requireID()
        try await writer(grants: newGrants).update(user, before: before, expectedVersion: input.version) { tx in
            if input.accessGroupIds != nil { try await Self.replaceGrants(of: user, with: newGrants, on: tx) }
            // A new password or a deactivation signs the user out everywhere.
            if revokeSessions {
                let tokens = UserToken.query(on: tx).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
                if let keepingToken { tokens.filter(\.$id != keepingToken) }
                try await tokens.set(\.$revokedAt, to: Date()).update()
            }
        }
        // After the commit, so that no request can cache the old state in between.
        TokenCache.shared.evict(userID: userID)
    }

    func markDeleted(_ user: User, expectedVersion: Int?) async throws {
        if author.userID == user.id {
            throw RuleConflict("cannot_delete_self", "You cannot mark your own user for deletion.")
        }
        if user.role == .admin && user.active { try await ensureAnotherAdmin(than: user) }
        try await writer(grants: try await grants(of: user)).markDeleted(user, expectedVersion: expectedVersion)
        TokenCache.shared.evict(userID: try user.requireID())
    }

    func restore(_ user: User) async throws {
        try await writer(grants: try await grants(of: user)).restore(user)
    }

    /// Marks the user for deletion (`mark`) or restores them, answering them as they now are.
    func setDeletionMark(of id: UUID, to mark: Bool, expectedVersion: Int?) async throws -> UserDTO {
        let user = try await UserReads.find(id, on: db)
        if mark { try await markDeleted(user, expectedVersion: expectedVersion) } else { try await restore(user) }
        return try await UserReads.dtos([user], on: db)[0]
    }

    private func writer(grants: [UUID]) -> RecordWriter<User> {
        RecordWriter(db: db, author: author) { try Self.snapshot($0, grants: grants) }
    }

    static func replaceGrants(of user: User, with groups: [UUID], on db: any Database) async throws {
        let userID = try user.requireID()
        try await UserAccessGroup.query(on: db).filter(\.$user.$id == userID).delete()
        for group in groups {
            let grant = UserAccessGroup()
            grant.$user.id = userID
            grant.$accessGroup.id = group
            try await grant.create(on: db)
        }
    }

    private func checkLoginFree(_ login: String?, except id: UUID?, into errors: inout FieldErrors) async throws {
        guard let login, errors.fields["login"] == nil else { return }
        let query = User.query(on: db).filter(\.$loginKey == User.key(for: login))
        if let id { query.filter(\.$id != id) }
        if try await query.count() > 0 { errors.add("login", "is already taken") }
    }

    private func checkGroups(_ ids: [UUID]?, into errors: inout FieldErrors) async throws {
        guard let ids, !ids.isEmpty else { return }
        let found = try await AccessGroup.query(on: db).filter(\.$id ~~ ids).filter(\.$deletionMark == false).count()
        if found != Set(ids).count { errors.add("accessGroupIds", "names an access group that does not exist or is marked for deletion") }
    }

    /// At least one active admin must remain, or nobody could manage users again.
    private func ensureAnotherAdmin(than user: User) async throws {
        let others = try await User.query(on: db)
            .filter(\.$role == .admin).filter(\.$active == true).filter(\.$deletionMark == false)
            .filter(\.$id != user.requireID()).count()
        if others == 0 {
            throw RuleConflict("last_admin", "This is the only active admin; make another user an admin first.")
        }
    }
}

/// What the audit log compares for a user: the API fields, and whether the password changed
/// (shown as a short fingerprint of the hash, never the hash itself).
struct UserAuditSnapshot: Encodable, Sendable {
    var user: UserDTO
    var passwordHash: String

    func encode(to encoder: any Encoder) throws {
        try user.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        let digest = UserToken.hash(passwordHash).prefix(8)
        try container.encode("•••• \(digest)", forKey: .password)
    }

    private enum Key: String, CodingKey { case password }
}
