import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Reading one user as the API shows it, in one SQL query decoded straight into
/// values. `GET /users/{id}` and `GET /me` are hot paths: Fluent's model reflection cost more
/// than the queries.
enum UserReads {
    /// One row per grant (or one row with no group): the user and its grants in one query.
    private struct Row: Decodable {
        var id: UUID
        var login: String
        var name: String
        var email: String?
        var phone: String?
        var role: String
        var language: String
        var active: Bool
        var deletion_mark: Bool
        var version: Int
        var access_group_id: UUID?
    }

    static func one(_ id: UUID, on db: any Database) async throws -> UserDTO? {
        let query: SQLQueryString = """
            SELECT u.id, u.login, u.name, u.email, u.phone, u.role, u.language, u.active, u.deletion_mark, u.version, g.access_group_id
            FROM users u LEFT JOIN user_access_groups g ON g.user_id = u.id
            WHERE u.id = \(bind: id)
            """
        let rows = try await db.sql.raw(query).all(decoding: Row.self)
        guard let row = rows.first, let role = Role(rawValue: row.role) else { return nil }
        return UserDTO(id: row.id, login: row.login, name: row.name, email: row.email, phone: row.phone, role: role,
                       language: row.language, accessGroupIds: rows.compactMap(\.access_group_id),
                       active: row.active, deletionMark: row.deletion_mark, version: row.version)
    }
}

extension UserReads {
    /// Whether a user exists, is active and is not marked: what a reference to a person checks.
    static func isActive(_ id: UUID, on db: any Database) async throws -> Bool {
        try await User.query(on: db).filter(\.$id == id).filter(\.$active == true).filter(\.$deletionMark == false).count() > 0
    }
}

extension UserReads {
    struct Filter: Sendable {
        var q: String?
        var role: Role?
        var active: Bool?
        var includeDeleted = false
    }

    static func query(on db: any Database, _ filter: Filter) -> QueryBuilder<User> {
        let query = User.query(on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let role = filter.role { query.filter(\.$role == role) }
        if let active = filter.active { query.filter(\.$active == active) }
        return query.sort(\.$name)
    }

    /// DTOs for a page of users with their grants fetched in one query, not one per user.
    static func dtos(_ users: [User], on db: any Database) async throws -> [UserDTO] {
        let ids = try users.map { try $0.requireID() }
        let grants = try await UserAccessGroup.query(on: db).filter(\.$user.$id ~~ ids).all()
        let byUser = Dictionary(grouping: grants, by: { $0.$user.id })
        return try users.map { user in
            try UserDTO(user, accessGroupIds: byUser[try user.requireID(), default: []].map { $0.$accessGroup.id })
        }
    }

    static func find(_ id: UUID, on db: any Database) async throws -> User {
        guard let user = try await User.find(id, on: db) else { throw NotFound("user") }
        return user
    }
}
