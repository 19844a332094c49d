import Fluent
import SdelkaCore
import Vapor

/// A simple catalogue (business regions, access groups, …) under `/api/v1/<path>`.
struct CatalogController<M: CatalogModel>: Sendable {
    let path: PathComponent

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(path)
        group.get(use: index)
        RecordResource<CatalogService<M>>.register(on: group)
    }

    @Sendable func index(req: Request) async throws -> PageDTO<CatalogDTO> {
        let query = try await req.service(CatalogService<M>.self)
            .list(q: req.text("q"), includeDeleted: req.flag("includeDeleted"), parent: req.query[UUID.self, at: "parentId"])
        return try await PageRequest(req).fetch(query) { try CatalogDTO($0) }
    }
}
