import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/products`: anyone signed in reads; managing catalogues is needed to change them.
enum ProductsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("products")
        group.get(use: index)
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    struct Filter: Sendable {
        var q: String?
        var groupID: UUID?
        var includeDeleted = false
    }

    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), groupID: params.uuid("groupId"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }

    static func query(on db: any Database, _ filter: Filter) -> QueryBuilder<Product> {
        let query = Product.query(on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let group = filter.groupID { query.filter(\.$groupID == group) }
        return query.sort(\.$name).sort(\.$sku)
    }

    static func find(_ id: UUID, on db: any Database) async throws -> Product {
        guard let product = try await Product.find(id, on: db) else { throw APIError.notFound("product") }
        return product
    }

    static func writer(_ req: Request) throws -> RecordWriter<Product> {
        RecordWriter(db: req.db, author: ChangeAuthor(try req.user)) { try ProductDTO($0) }
    }

    /// The group must exist and the SKU must not belong to another product.
    static func check(_ input: ProductInput, current: Product?, on db: any Database) async throws -> FieldErrors {
        var errors = input.validate(creating: current == nil)
        if let group = input.groupId, group != current?.groupID, try await ProductGroup.find(group, on: db) == nil {
            errors.add("groupId", "names a product group that does not exist")
        }
        if let sku = input.sku.cleaned, sku != current?.sku,
           let other = try await Product.query(on: db).filter(\.$sku == sku).first() {
            errors.add("sku", "is already the SKU of «\(other.name)»")
        }
        return errors
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<ProductDTO> {
        try await PageRequest(req).fetch(query(on: req.db, try filter(from: req))) { try ProductDTO($0) }
    }

    @Sendable static func show(req: Request) async throws -> ProductDTO {
        try ProductDTO(try await find(req.idParameter(), on: req.db))
    }

    static func create(_ input: ProductInput, req: Request) async throws -> Product {
        try req.require(.manageCatalogs)
        try await check(input, current: nil, on: req.db).check()
        let product = Product()
        product.id = TimeOrderedID.make()
        product.unit = "шт"
        input.apply(to: product, clearing: [])
        try await writer(req).create(product)
        return product
    }

    static func update(_ product: Product, with input: ProductInput, clearing: Set<String>, req: Request) async throws {
        try req.require(.manageCatalogs)
        try await check(input, current: product, on: req.db).check()
        let before = try ProductDTO(product)
        input.apply(to: product, clearing: clearing)
        try await writer(req).update(product, before: before, expectedVersion: input.version)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let product = try await create(try req.content.decode(ProductInput.self), req: req)
        return try await ProductDTO(product).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> ProductDTO {
        let product = try await find(req.idParameter(), on: req.db)
        try await update(product, with: try req.content.decode(ProductInput.self), clearing: ExplicitNulls.keys(of: req), req: req)
        return try ProductDTO(product)
    }

    @Sendable static func markDeleted(req: Request) async throws -> ProductDTO {
        try req.require(.manageCatalogs)
        let product = try await find(req.idParameter(), on: req.db)
        try await writer(req).markDeleted(product, expectedVersion: req.query[Int.self, at: "version"])
        return try ProductDTO(product)
    }

    @Sendable static func restore(req: Request) async throws -> ProductDTO {
        try req.require(.manageCatalogs)
        let product = try await find(req.idParameter(), on: req.db)
        try await writer(req).restore(product)
        return try ProductDTO(product)
    }
}
