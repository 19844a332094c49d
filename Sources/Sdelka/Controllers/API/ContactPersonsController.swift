import Fluent
import SdelkaCore
import Vapor

/// Contact persons are seen through their partner, like counterparties.
enum ContactPersonsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("contact-persons")
        group.get(use: index)
        RecordResource<ContactPersonService>.register(on: group)
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
        return PageDTO(items: try await ContactPersonService(db: req.db, author: ChangeAuthor(try req.user), scope: scope).dtos(rows), total: total, page: page.page, per: page.per)
    }

}
