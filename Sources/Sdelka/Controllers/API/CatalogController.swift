import Fluent
import SdelkaCore
import Vapor

/// CRUD for a simple catalogue (business regions, access groups, …) under `/api/v1/<path>`.
struct CatalogController<M: CatalogModel>: Sendable {
    let path: PathComponent
    /// The permission needed to change the catalogue; reading needs only a signed-in user.
    let editPermission: Permission

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(path)
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    static func query(on db: any Database, q: String?, includeDeleted: Bool, parentFilter: UUID? = nil) -> QueryBuilder<M> {
        let query = M.query(on: db)
        // Key paths cannot reach a generic model's fields through the protocol; column keys can.
        if !includeDeleted { query.filter("deletion_mark", .equal, false) }
        if let q { query.filter("search_text", .contains(inverse: false, .anywhere), SearchText.normalize(q)) }
        if M.hasParent, let parent = parentFilter { query.filter("parent_id", .equal, parent) }
        return query.sort("name")
    }

    static func find(_ id: UUID, on db: any Database) async throws -> M {
        guard let model = try await M.find(id, on: db) else { throw APIError.notFound() }
        return model
    }

    static func writer(_ req: Request) throws -> RecordWriter<M> {
        RecordWriter(db: req.db, author: ChangeAuthor(try req.user)) { try CatalogDTO($0) }
    }

    @Sendable func index(req: Request) async throws -> PageDTO<CatalogDTO> {
        let query = Self.query(on: req.db, q: req.text("q"), includeDeleted: req.flag("includeDeleted"),
                               parentFilter: req.query[UUID.self, at: "parentId"])
        return try await PageRequest(req).fetch(query) { try CatalogDTO($0) }
    }

    @Sendable func show(req: Request) async throws -> CatalogDTO {
        try CatalogDTO(try await Self.find(req.idParameter(), on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.require(editPermission)
        let input = try req.content.decode(CatalogInput.self)
        var errors = input.validate(creating: true, for: M.self)
        errors.merge(try await input.checkParent(of: nil as M?, on: req.db))
        try errors.check()
        let model = M()
        input.apply(to: model)
        try await Self.writer(req).create(model)
        return try await CatalogDTO(model).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> CatalogDTO {
        try req.require(editPermission)
        let model = try await Self.find(req.idParameter(), on: req.db)
        let input = try req.content.decode(CatalogInput.self)
        var errors = input.validate(creating: false, for: M.self)
        errors.merge(try await input.checkParent(of: model, on: req.db))
        try errors.check()
        let before = try CatalogDTO(model)
        input.apply(to: model)
        try await Self.writer(req).update(model, before: before, expectedVersion: input.version)
        return try CatalogDTO(model)
    }

    @Sendable func markDeleted(req: Request) async throws -> CatalogDTO {
        try req.require(editPermission)
        let model = try await Self.find(req.idParameter(), on: req.db)
        try await Self.writer(req).markDeleted(model, expectedVersion: req.query[Int.self, at: "version"])
        return try CatalogDTO(model)
    }

    @Sendable func restore(req: Request) async throws -> CatalogDTO {
        try req.require(editPermission)
        let model = try await Self.find(req.idParameter(), on: req.db)
        try await Self.writer(req).restore(model)
        return try CatalogDTO(model)
    }
}
