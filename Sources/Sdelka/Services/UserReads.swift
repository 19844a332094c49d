import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Reading one user as the API shows it, in two small SQL queries decoded straight into
/// values. `GET /users/{id}` and `GET /me` are hot paths: Fluent's model reflection cost more
/// than the queries.
enum UserReads {
    private struct Row: Decodable {
        var id: UUID
        var login: String
        var name: String
        var email: String?
        var role: String
        var language: String
        var active: Bool
        var deletion_mark: Bool
        var version: Int
    }

    private struct Grant: Decodable {
        var access_group_id: UUID
    }

    static func one(_ id: UUID, on db: any Database) async throws -> UserDTO? {
        guard let row = try await db.sql.select()
            .columns("id", "login", "name", "email", "role", "language", "active", "deletion_mark", "version")
            .from(User.schema)
            .where("id", .equal, SQLBind(id))
            .first(decoding: Row.self),
            let role = Role(rawValue: row.role)
        else { return nil }
        let grants = try await db.sql.select()
            .column("access_group_id")
            .from(UserAccessGroup.schema)
            .where("user_id", .equal, SQLBind(id))
            .all(decoding: Grant.self)
        return UserDTO(id: row.id, login: row.login, name: row.name, email: row.email, role: role,
                       language: row.language, accessGroupIds: grants.map(\.access_group_id),
                       active: row.active, deletionMark: row.deletion_mark, version: row.version)
    }
}
