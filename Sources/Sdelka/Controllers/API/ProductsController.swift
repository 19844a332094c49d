import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/products`: anyone signed in reads; managing catalogues is needed to change them.
enum ProductsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("products")
        group.get(use: index)
        RecordResource<ProductService>.register(on: group)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<ProductDTO> {
        try await PageRequest(req).fetch(ProductQueries.query(on: req.db, try ProductQueries.filter(from: req))) { try ProductDTO($0) }
    }
}
