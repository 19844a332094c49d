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


    @Sendable static func index(req: Request) async throws -> PageDTO<DealKindDTO> {
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(req.service(DealKindService.self).list(q: req.text("q"), includeDeleted: req.flag("includeDeleted")))
        return PageDTO(items: try await req.service(DealKindService.self).dtos(rows), total: total, page: page.page, per: page.per)
    }

}
