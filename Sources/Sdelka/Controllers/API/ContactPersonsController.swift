import Fluent
import SdelkaCore
import Vapor

/// Contact persons are seen through their partner, like counterparties.
enum ContactPersonsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("contact-persons")
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    static func service(_ req: Request, scope: AccessScope) throws -> ContactPersonService {
        ContactPersonService(db: req.db, author: ChangeAuthor(try req.user), scope: scope)
    }

    static func find(_ req: Request) async throws -> (ContactPerson, AccessScope) {
        let scope = try await req.accessScope()
        guard let found = try await ContactPersonQueries.scoped(scope, on: req.db).filter(\.$id == req.idParameter()).first() else {
            throw APIError.notFound("contact person")
        }
        return (found, scope)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<ContactPersonDTO> {
        let scope = try await req.accessScope()
        let query = ContactPersonQueries.scoped(scope, on: req.db)
        if !req.flag("includeDeleted") { query.filter(\.$deletionMark == false) }
        if let raw = req.text("partnerId") {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("partnerId", "is not a UUID") }
            query.filter(\.$partnerID == id)
        }
        if !req.flag("includeFormer") { query.filter(\.$until == nil) }
        if let q = req.text("q") { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        query.sort(\.$name).sort(\.$id)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query)
        return PageDTO(items: try await service(req, scope: scope).dtos(rows), total: total, page: page.page, per: page.per)
    }

    @Sendable static func show(req: Request) async throws -> ContactPersonDTO {
        let (person, scope) = try await find(req)
        return try await service(req, scope: scope).dto(person)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let service = try service(req, scope: try await req.accessScope())
        let person = try await service.create(try req.content.decode(ContactPersonInput.self))
        return try await service.dto(person).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> ContactPersonDTO {
        try req.require(.editRecords)
        let (person, scope) = try await find(req)
        let service = try service(req, scope: scope)
        try await service.update(person, with: try req.content.decode(ContactPersonInput.self))
        return try await service.dto(person)
    }

    @Sendable static func markDeleted(req: Request) async throws -> ContactPersonDTO {
        try req.require(.editRecords)
        let (person, scope) = try await find(req)
        let service = try service(req, scope: scope)
        let dto = try await service.dto(person)
        try await service.writer(roles: dto.roles, contacts: dto.contacts)
            .markDeleted(person, expectedVersion: req.query[Int.self, at: "version"])
        return try await service.dto(person)
    }

    @Sendable static func restore(req: Request) async throws -> ContactPersonDTO {
        try req.require(.editRecords)
        let (person, scope) = try await find(req)
        let service = try service(req, scope: scope)
        let dto = try await service.dto(person)
        try await service.writer(roles: dto.roles, contacts: dto.contacts).restore(person)
        return try await service.dto(person)
    }
}
