import SdelkaCore
import Vapor

/// A product as the API shows it.
struct ProductDTO: Content, Equatable {
    var id: UUID
    var sku: String
    var name: String
    var groupId: UUID?
    var unit: String
    var price: Decimal?
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init(_ p: Product) throws {
        id = try p.requireID()
        sku = p.sku
        name = p.name
        groupId = p.groupID
        unit = p.unit
        price = p.priceCents.map(Money.decimal(cents:))
        comment = p.comment
        deletionMark = p.deletionMark
        version = p.version
    }
}

/// Create and PATCH body; absent fields stay, `null` clears `groupId`, `price` and `comment`.
struct ProductInput: Content {
    var sku: String?
    var name: String?
    var groupId: UUID?
    var unit: String?
    var price: Decimal?
    var comment: String?
    var version: Int?
    static let clearable: Set<String> = ["groupId", "price", "comment"]

    func validate(creating: Bool) -> FieldErrors {
        var errors = FieldErrors()
        if creating {
            if sku.cleaned == nil { errors.add("sku", "is required") }
            if name.cleaned == nil { errors.add("name", "is required") }
        } else {
            if let sku, sku.cleaned == nil { errors.add("sku", "must not be empty") }
            if let name, name.cleaned == nil { errors.add("name", "must not be empty") }
        }
        if let sku, sku.count > 100 { errors.add("sku", "must be at most 100 characters") }
        if let name, name.count > 300 { errors.add("name", "must be at most 300 characters") }
        if let unit, unit.count > 20 { errors.add("unit", "must be at most 20 characters") }
        if let price {
            if price < 0 { errors.add("price", "must not be negative") }
            else if Money.cents(price) == nil { errors.add("price", Money.amountMessage) }
        }
        return errors
    }

    func apply(to product: Product, clearing: Set<String>) {
        if let sku = sku.cleaned { product.sku = sku }
        if let name = name.cleaned { product.name = name }
        if let unit = unit.cleaned { product.unit = unit }
        if let groupId { product.groupID = groupId }
        if let price { product.priceCents = Money.cents(price) }
        if let comment { product.comment = comment.cleaned }
        for field in clearing.intersection(Self.clearable) {
            switch field {
            case "groupId": product.groupID = nil
            case "price": product.priceCents = nil
            default: product.comment = nil
            }
        }
        product.searchText = SearchText.normalize(product.sku, product.name)
    }
}
