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

    @Sendable static func index(req: Request) async throws -> PageDTO<UserDTO> {
        var filter = UserReads.Filter(q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        if let role = req.text("role") {
            guard let value = Role(rawValue: role) else { throw APIError.validation("role", "is not a role") }
            filter.role = value
        }
        if let active = req.text("active") { filter.active = active == "true" }
        let pageRequest = try PageRequest(req)
        let query = UserReads.query(on: req.db, filter)
        let (total, users) = try await pageRequest.rows(query)
        return PageDTO(items: try await UserReads.dtos(users, on: req.db), total: total, page: pageRequest.page, per: pageRequest.per)
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
        return try await UserReads.dtos([user], on: req.db)[0].encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        let user = try await UserReads.find(req.idParameter(), on: req.db)
        let input = try req.content.decode(UserInput.self)
        try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .update(user, with: input)
        return try await UserReads.dtos([user], on: req.db)[0]
    }

    @Sendable static func markDeleted(req: Request) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        return try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .setDeletionMark(of: req.idParameter(), to: true, expectedVersion: req.query[Int.self, at: "version"])
    }

    @Sendable static func restore(req: Request) async throws -> UserDTO {
        let admin = try req.require(.manageUsers)
        return try await UserService(db: req.db, author: ChangeAuthor(admin), hasher: req.password.async)
            .setDeletionMark(of: req.idParameter(), to: false, expectedVersion: nil)
    }
}
