import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/agreements` and `/api/v1/contracts`: they hang off counterparties and are seen
/// through the counterparty's partner (DOMAIN.md §9).
struct TermsController<M: CounterpartyTerms>: Sendable {
    let path: PathComponent

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(path)
        group.get(use: index)
        RecordResource<TermsService<M>>.register(on: group)
    }

    @Sendable func index(req: Request) async throws -> PageDTO<TermsDTO> {
        try await PageRequest(req).fetch(try await Self.list(req)) { try TermsDTO($0) }
    }

    /// `?counterpartyId=` keeps one counterparty's, `?q=` searches.
    static func list(_ req: Request) async throws -> QueryBuilder<M> {
        var params = QueryParameters(req)
        let counterparty = params.uuid("counterpartyId")
        try params.check()
        return try await req.service(TermsService<M>.self).list(counterparty: counterparty, q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
    }
}
