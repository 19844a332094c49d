import Fluent
import SdelkaCore
import Vapor

/// Counterparties are seen through their partner: the access rule is applied on the joined
/// partner, so a counterparty of a hidden partner is hidden too.
enum CounterpartiesController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("counterparties")
        group.get(use: index)
        RecordResource<CounterpartyService>.register(on: group)
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

}
