import Fluent
import Foundation
import SdelkaCore

/// The rules of writing products: the group must exist and an SKU names one product.
struct ProductService: RecordService {
    static let noun = "product"
    static var editPermission: Permission { .manageCatalogs }

    let db: any Database
    let author: ChangeAuthor

    init(_ context: ServiceContext) {
        db = context.db
        author = context.author
    }

    /// Products are not partner records: everyone signed in sees every product.
    func visible(_ id: UUID) async throws -> Product? {
        try await Product.find(id, on: db)
    }

    func dto(_ product: Product) async throws -> ProductDTO { try ProductDTO(product) }

    func create(_ input: ProductInput) async throws -> Product {
        try await check(input, current: nil).check()
        let product = Product()
        product.id = TimeOrderedID.make()
        product.unit = "шт"
        input.apply(to: product, clearing: [])
        try await writer.create(product)
        return product
    }

    func update(_ product: Product, with input: ProductInput, clearing: Set<String>) async throws {
        try await check(input, current: product).check()
        let before = try ProductDTO(product)
        input.apply(to: product, clearing: clearing)
        try await writer.update(product, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ product: Product, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(product, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<Product> {
        RecordWriter(db: db, author: author) { try ProductDTO($0) }
    }

    /// The group must exist and the SKU must not belong to another product.
    private func check(_ input: ProductInput, current: Product?) async throws -> FieldErrors {
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
}
