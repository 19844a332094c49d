import Fluent
import SdelkaCore
import Vapor

/// Counterparties are seen through their partner: the access rule is applied on the joined
/// partner, so a counterparty of a hidden partner is hidden too.
enum CounterpartiesController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("counterparties")
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    static func service(_ req: Request, scope: AccessScope) throws -> CounterpartyService {
        CounterpartyService(db: req.db, author: ChangeAuthor(try req.user), scope: scope,
                            today: CalendarDate(Date(), in: req.application.sdelka.timeZone))
    }

    static func find(_ req: Request) async throws -> (Counterparty, AccessScope) {
        let scope = try await req.accessScope()
        guard let found = try await CounterpartyQueries.scoped(scope, on: req.db).filter(\.$id == req.idParameter()).first() else {
            throw APIError.notFound("counterparty")
        }
        return (found, scope)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<CounterpartyDTO> {
        let scope = try await req.accessScope()
        let query = CounterpartyQueries.scoped(scope, on: req.db)
        if !req.flag("includeDeleted") { query.filter(\.$deletionMark == false) }
        if let raw = req.text("partnerId") {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("partnerId", "is not a UUID") }
            query.filter(\.$partnerID == id)
        }
        if let inn = req.text("inn") { query.filter(\.$inn == inn) }
        if let q = req.text("q") { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        query.sort(\.$name).sort(\.$id)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query)
        let contacts = try await ContactStore.lists(.counterparty, ownerIDs: rows.map { try $0.requireID() }, on: req.db)
        return PageDTO(items: try rows.map { try CounterpartyDTO($0, contacts: contacts[try $0.requireID()] ?? []) },
                       total: total, page: page.page, per: page.per)
    }

    @Sendable static func show(req: Request) async throws -> CounterpartyDTO {
        let (counterparty, scope) = try await find(req)
        return try await service(req, scope: scope).dto(counterparty)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let service = try service(req, scope: try await req.accessScope())
        let counterparty = try await service.create(try req.content.decode(CounterpartyInput.self))
        return try await service.dto(counterparty).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> CounterpartyDTO {
        try req.require(.editRecords)
        let (counterparty, scope) = try await find(req)
        let service = try service(req, scope: scope)
        try await service.update(counterparty, with: try req.content.decode(CounterpartyInput.self))
        return try await service.dto(counterparty)
    }

    @Sendable static func markDeleted(req: Request) async throws -> CounterpartyDTO {
        try req.require(.editRecords)
        let (counterparty, scope) = try await find(req)
        let service = try service(req, scope: scope)
        try await service.writer(contacts: service.dto(counterparty).contacts)
            .markDeleted(counterparty, expectedVersion: req.query[Int.self, at: "version"])
        return try await service.dto(counterparty)
    }

    @Sendable static func restore(req: Request) async throws -> CounterpartyDTO {
        try req.require(.editRecords)
        let (counterparty, scope) = try await find(req)
        let service = try service(req, scope: scope)
        try await service.writer(contacts: service.dto(counterparty).contacts).restore(counterparty)
        return try await service.dto(counterparty)
    }
}
