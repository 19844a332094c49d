import Fluent
import FluentSQL
import SdelkaCore
import SQLKit
import Vapor

/// `/api/v1/agreements` and `/api/v1/contracts`: they hang off counterparties and are seen
/// through the counterparty's partner (DOMAIN.md §9).
struct TermsController<M: CounterpartyTerms>: Sendable {
    let path: PathComponent

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(path)
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    /// `counterparty_id IN (SELECT id FROM counterparties WHERE partner_id IN (visible partners))`.
    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<M> {
        let query = M.query(on: db)
        guard let visible = scope.partnerVisible(SQLIdentifier("partner_id")) else { return query }
        return query.filter(.sql(SQLBinaryExpression(SQLColumn("counterparty_id", table: M.schema), .in, SQLGroupExpression(SQLSubquery.select { $0
            .column("id").from(Counterparty.schema).where(visible)
        }))))
    }

    static func find(_ req: Request, scope: AccessScope) async throws -> M {
        guard let model = try await scoped(scope, on: req.db).filter(.sql(SQLBinaryExpression(SQLColumn("id", table: M.schema), .equal, SQLBind(try req.idParameter())))).first() else {
            throw APIError.notFound()
        }
        return model
    }

    static func writer(_ req: Request) throws -> RecordWriter<M> {
        RecordWriter(db: req.db, author: ChangeAuthor(try req.user)) { try TermsDTO($0) }
    }

    /// The counterparty must be visible and live, the organization must exist.
    static func check(_ input: TermsInput, current: M?, scope: AccessScope, on db: any Database) async throws -> FieldErrors {
        var errors = input.validate(current: current)
        if let id = input.counterpartyId, current == nil,
           try await CounterpartyQueries.scoped(scope, on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
            errors.add("counterpartyId", "names a counterparty that does not exist")
        }
        if let id = input.organizationId, id != current?.organizationID,
           try await Organization.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
            errors.add("organizationId", "names an organization that does not exist")
        }
        return errors
    }

    @Sendable func index(req: Request) async throws -> PageDTO<TermsDTO> {
        var params = QueryParameters(req)
        let counterparty = params.uuid("counterpartyId")
        try params.check()
        let query = Self.scoped(try await req.accessScope(), on: req.db)
        if !req.flag("includeDeleted") { query.filter(.sql(SQLBinaryExpression(SQLColumn("deletion_mark", table: M.schema), .equal, SQLLiteral.boolean(false)))) }
        if let counterparty { query.filter(.sql(SQLBinaryExpression(SQLColumn("counterparty_id", table: M.schema), .equal, SQLBind(counterparty)))) }
        if let q = req.text("q") { query.filter("search_text", .contains(inverse: false, .anywhere), SearchText.normalize(q)) }
        return try await PageRequest(req).fetch(query.sort("number")) { try TermsDTO($0) }
    }

    @Sendable func show(req: Request) async throws -> TermsDTO {
        try TermsDTO(try await Self.find(req, scope: try await req.accessScope()))
    }

    /// Creating and changing, for the API and the web pages alike.
    static func create(_ input: TermsInput, scope: AccessScope, req: Request) async throws -> M {
        try await check(input, current: nil, scope: scope, on: req.db).check()
        let model = M()
        model.id = TimeOrderedID.make()
        model.name = ""
        input.apply(to: model, clearing: [])
        try await writer(req).create(model)
        return model
    }

    static func update(_ model: M, with input: TermsInput, clearing: Set<String>, scope: AccessScope, req: Request) async throws {
        try await check(input, current: model, scope: scope, on: req.db).check()
        let before = try TermsDTO(model)
        input.apply(to: model, clearing: clearing)
        try await writer(req).update(model, before: before, expectedVersion: input.version)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let model = try await Self.create(try req.content.decode(TermsInput.self), scope: try await req.accessScope(), req: req)
        return try await TermsDTO(model).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> TermsDTO {
        try req.require(.editRecords)
        let scope = try await req.accessScope()
        let model = try await Self.find(req, scope: scope)
        try await Self.update(model, with: try req.content.decode(TermsInput.self), clearing: ExplicitNulls.keys(of: req), scope: scope, req: req)
        return try TermsDTO(model)
    }

    @Sendable func markDeleted(req: Request) async throws -> TermsDTO {
        try req.require(.editRecords)
        let model = try await Self.find(req, scope: try await req.accessScope())
        try await Self.writer(req).markDeleted(model, expectedVersion: req.query[Int.self, at: "version"])
        return try TermsDTO(model)
    }

    @Sendable func restore(req: Request) async throws -> TermsDTO {
        try req.require(.editRecords)
        let model = try await Self.find(req, scope: try await req.accessScope())
        try await Self.writer(req).restore(model)
        return try TermsDTO(model)
    }
}
