import Fluent
import SdelkaCore
import Vapor

/// Users: everyone signed in may read them (to pick a responsible manager); admins change them.
enum UsersController {
    static func register(on routes: any RoutesBuilder) {
        let users = routes.grouped("users")
        users.get(use: index)
        users.post(use: create)
        users.get(":id", use: show)
        users.patch(":id", use: update)
        users.delete(":id", use: markDeleted)
        users.post(":id", "restore", use: restore)
    }

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
        guard let user = try await User.find(id, on: db) else { throw APIError.notFound("user") }
        return user
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<UserDTO> {
        var filter = Filter(q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        if let role = req.text("role") {
            guard let value = Role(rawValue: role) else { throw APIError.validation("role", "is not a role") }
            filter.role = value
        }
        if let active = req.text("active") { filter.active = active == "true" }
        let pageRequest = try PageRequest(req)
        let query = Self.query(on: req.db, filter)
        let (total, users) = try await pageRequest.rows(query)
        return PageDTO(items: try await dtos(users, on: req.db), total: total, page: pageRequest.page, per: pageRequest.per)
    }

    @Sendable static func show(req: Request) async throws -> UserDTO {
        _ = try req.user
        guard let user = try await UserReads.one(req.idParameter(), on: req.db) else { throw APIError.notFound("user") }
        return user
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let admin = try req.require(.manageUsers)
        let input = try req.content.decode(UserInput.self)
        let user = try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .create(input)
        return try await dtos([user], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        let user = try await find(req.idParameter(), on: req.db)
        let input = try req.content.decode(UserInput.self)
        try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .update(user, with: input)
        return try await dtos([user], on: req.db)[0]
    }

    @Sendable static func markDeleted(req: Request) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        let user = try await find(req.idParameter(), on: req.db)
        try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .markDeleted(user, expectedVersion: req.query[Int.self, at: "version"])
        return try await dtos([user], on: req.db)[0]
    }

    @Sendable static func restore(req: Request) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        let user = try await find(req.idParameter(), on: req.db)
        try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .restore(user)
        return try await dtos([user], on: req.db)[0]
    }
}
