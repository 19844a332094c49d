import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/deal-kinds`: kinds with their stages and checklists inline.
enum DealKindsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("deal-kinds")
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    static func service(_ req: Request) throws -> DealKindService {
        DealKindService(db: req.db, author: ChangeAuthor(try req.user))
    }

    static func find(_ req: Request) async throws -> DealKind {
        guard let kind = try await DealKind.find(req.idParameter(), on: req.db) else { throw APIError.notFound("deal kind") }
        return kind
    }

    static func query(_ req: Request) -> QueryBuilder<DealKind> {
        let query = DealKind.query(on: req.db)
        if !req.flag("includeDeleted") { query.filter(\.$deletionMark == false) }
        if let q = req.text("q") { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        return query.sort(\.$name).sort(\.$id)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<DealKindDTO> {
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query(req))
        return PageDTO(items: try await service(req).dtos(rows), total: total, page: page.page, per: page.per)
    }

    @Sendable static func show(req: Request) async throws -> DealKindDTO {
        try await service(req).dto(try await find(req))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.manageCatalogs)
        let service = try service(req)
        let kind = try await service.create(try req.content.decode(DealKindInput.self))
        return try await service.dto(kind).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> DealKindDTO {
        try req.require(.manageCatalogs)
        let kind = try await find(req)
        let service = try service(req)
        try await service.update(kind, with: try req.content.decode(DealKindInput.self))
        return try await service.dto(kind)
    }

    @Sendable static func markDeleted(req: Request) async throws -> DealKindDTO {
        try req.require(.manageCatalogs)
        let kind = try await find(req)
        let service = try service(req)
        try await service.writer(stages: try await service.dto(kind).stages).markDeleted(kind, expectedVersion: req.query[Int.self, at: "version"])
        return try await service.dto(kind)
    }

    @Sendable static func restore(req: Request) async throws -> DealKindDTO {
        try req.require(.manageCatalogs)
        let kind = try await find(req)
        let service = try service(req)
        try await service.writer(stages: try await service.dto(kind).stages).restore(kind)
        return try await service.dto(kind)
    }
}
