import Fluent
import SdelkaCore
import Vapor

/// Products in the web UI: the list with search and group filter, and the form; both go through
/// `ProductService`, as the API does.
enum ProductPages {
    /// The form pages; this type supplies only its form and how a posted one is read.
    static let forms = RecordFormPages<ProductService>(
        section: .products,
        render: { req, record, form, errors, status in try await render(req, product: record, form: form, errors: errors, status: status) },
        input: { req, form, creating in try checkedInput(from: form) },
        clearable: Array(ProductInput.clearable), nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.products.component)
        group.get(use: list)
        forms.register(on: group)
        routes.get(Site.lookup.component, SitePage.products.component, use: lookup)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var sku: String
        var name: String
        var group: String
        var unit: String
        var price: String
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var total: Int
        var q: String
        var includeDeleted: Bool
        var canEdit: Bool
        var groups: [FormOption]
        var exportHref: String
        var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let filter = try ProductQueries.filter(from: req)
        let pageRequest = try PageRequest(req)
        let (total, products) = try await pageRequest.rows(ProductQueries.query(on: req.db, filter))
        let groups = try await ReferenceNames.catalog(ProductGroup.self, req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let rows = products.map { p in
            Row(id: p.id!, sku: p.sku, name: p.name, group: p.groupID.map { ReferenceNames.name($0, in: groups) } ?? "", unit: p.unit,
                price: p.priceCents.map { RussianFormat.money(cents: $0) } ?? "", deletionMark: p.deletionMark)
        }
        let body = ListBody(items: rows, total: total, q: filter.q ?? "", includeDeleted: filter.includeDeleted,
                            canEdit: try req.user.role.can(.manageCatalogs),
                            groups: ReferenceNames.options(groups, selected: filter.groupID, blank: t["filter_any"] ?? "—"),
                            exportHref: req.link(to: Site.exports.path(.productsCSV), dropping: ["page", "per"], droppingEmpty: true),
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("product-list", titleKey: "nav_products", page: body, for: req)
    }

    /// `GET /lookup/products?q=`: «SKU — name» for the product fields of sales forms.
    @Sendable static func lookup(req: Request) async throws -> [PartnerPages.LookupItem] {
        guard let q = req.text("q"), !q.isEmpty else { return [] }
        return try await ProductQueries.query(on: req.db, .init(q: q)).range(0..<20).all()
            .map { PartnerPages.LookupItem(id: try $0.requireID(), label: "\($0.sku) — \($0.name)") }
    }

    static func input(from form: PostedForm) -> ProductInput {
        ProductInput(sku: form.text("sku") ?? "", name: form.text("name") ?? "", groupId: form.uuid("groupId"), unit: form.text("unit"),
                     price: form.text("price").flatMap { $0.isEmpty ? nil : Money.parse($0) }, comment: form.text("comment"),
                     version: form.text("version").flatMap { Int($0) })
    }

    static func checkedInput(from form: PostedForm) throws -> ProductInput {
        if let error = priceError(form) { throw error }
        return input(from: form)
    }

    /// A price that is not a number is a field error, not a silently empty price.
    static func priceError(_ form: PostedForm) -> FieldErrors? {
        guard let text = form.text("price"), !text.isEmpty, Money.parse(text) == nil else { return nil }
        return FieldErrors(["price": "must be a number"])
    }

    static func render(_ req: Request, product: Product?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let (dto, history) = try await StoredRecord.load(product, service: req.service(ProductService.self), req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let fields = [
            make.field("sku", "field_sku", stored: dto?.sku, required: true),
            make.field("name", "field_name", stored: dto?.name, required: true, wide: true),
            make.select("groupId", "field_product_group", try await ReferenceNames.catalog(ProductGroup.self, req.db).map { ($0.0.uuidString, $0.1) },
                        stored: dto?.groupId?.uuidString),
            make.field("unit", "field_unit", stored: dto?.unit ?? "шт"),
            make.field("price", "field_price", stored: dto?.price.map { "\($0)" }),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        let page = RecordForm(
            heading: dto.map { "\($0.sku) — \($0.name)" } ?? make.label("product_new"), back: Site.products.path, backLabel: make.label("nav_products"),
            action: dto.map { Site.products.path($0.id) } ?? Site.products.path, id: dto?.id, version: dto?.version ?? 0,
            deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.manageCatalogs), formError: errors["form"],
            sections: [FormSection(title: nil, fields: fields)], hasContacts: false, contacts: [], contactTypes: [],
            duplicates: [], history: history, deleteAction: dto.map { Site.products.path($0.id) })
        return try await WebPage.render("record-form", titleKey: "nav_products", page: page, for: req, status: status)
    }
}
