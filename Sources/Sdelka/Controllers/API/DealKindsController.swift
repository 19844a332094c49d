import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/deal-kinds`: kinds with their stages and checklists inline.
enum DealKindsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("deal-kinds")
        group.get(use: index)
        RecordResource<DealKindService>.register(on: group)
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
        return PageDTO(items: try await req.service(DealKindService.self).dtos(rows), total: total, page: page.page, per: page.per)
    }

}
