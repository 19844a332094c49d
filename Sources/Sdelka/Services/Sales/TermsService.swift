import Fluent
import FluentSQL
import Foundation
import SdelkaCore
import SQLKit

/// Agreements and contracts (DOMAIN.md §6): they hang off counterparties and are seen through
/// the counterparty's partner (DOMAIN.md §9).
struct TermsService<M: CounterpartyTerms>: RecordService {
    static var noun: String { M.objectType }

    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope

    init(_ context: ServiceContext) {
        db = context.db
        author = context.author
        scope = context.scope
    }

    /// `counterparty_id IN (SELECT id FROM counterparties WHERE partner_id IN (visible partners))`.
    static func scoped(_ scope: AccessScope, on db: any Database) -> QueryBuilder<M> {
        let query = M.query(on: db)
        guard let visible = scope.partnerVisible(SQLIdentifier("partner_id")) else { return query }
        return query.filter(.sql(SQLBinaryExpression(SQLColumn("counterparty_id", table: M.schema), .in, SQLGroupExpression(SQLSubquery.select { $0
            .column("id").from(Counterparty.schema).where(visible)
        }))))
    }

    /// By number; `counterparty` keeps one counterparty's, `q` searches number and name.
    func list(counterparty: UUID?, q: String?, includeDeleted: Bool) -> QueryBuilder<M> {
        let query = Self.scoped(scope, on: db)
        if !includeDeleted { query.filter(.sql(SQLBinaryExpression(SQLColumn("deletion_mark", table: M.schema), .equal, SQLLiteral.boolean(false)))) }
        if let counterparty { query.filter(.sql(SQLBinaryExpression(SQLColumn("counterparty_id", table: M.schema), .equal, SQLBind(counterparty)))) }
        if let q { query.filter("search_text", .contains(inverse: false, .anywhere), SearchText.normalize(q)) }
        return query.sort("number")
    }

    func visible(_ id: UUID) async throws -> M? {
        try await Self.scoped(scope, on: db).filter(.sql(SQLBinaryExpression(SQLColumn("id", table: M.schema), .equal, SQLBind(id)))).first()
    }

    func dto(_ model: M) async throws -> TermsDTO { try TermsDTO(model) }

    func create(_ input: TermsInput) async throws -> M {
        try await check(input, current: nil).check()
        let model = M()
        model.id = TimeOrderedID.make()
        model.name = ""
        input.apply(to: model, clearing: [])
        try await writer.create(model)
        return model
    }

    func update(_ model: M, with input: TermsInput, clearing: Set<String>) async throws {
        try await check(input, current: model).check()
        let before = try TermsDTO(model)
        input.apply(to: model, clearing: clearing)
        try await writer.update(model, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ model: M, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(model, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<M> {
        RecordWriter(db: db, author: author) { try TermsDTO($0) }
    }

    /// The counterparty must be visible and live, the organization must exist.
    private func check(_ input: TermsInput, current: M?) async throws -> FieldErrors {
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
}
