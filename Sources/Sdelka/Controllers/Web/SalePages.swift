import Fluent
import SdelkaCore
import Vapor

/// Sales documents in the web UI: the list with filters and the document form with its lines;
/// the web twin of `SalesController`.
enum SalePages {
    /// The form pages; this type supplies only its form and how a posted one is read.
    static let forms = RecordFormPages<SaleService>(
        section: .sales,
        render: { req, record, form, errors, status in try await SaleForm.render(req, sale: record, form: form, errors: errors, status: status) },
        input: { req, form, creating in try await SaleForm.input(from: form, creating: creating, on: req.db) },
        clearable: Array(SaleInput.clearable), nameField: "number")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.sales.component)
        group.get(use: list)
        forms.register(on: group)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var number: String
        var date: String
        var partnerId: UUID
        var partner: String
        var isReturn: Bool
        var revenue: String
        var cost: String
        var grossProfit: String
        var lines: Int
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var total: Int
        var q: String
        var from: String
        var to: String
        var includeDeleted: Bool
        var canEdit: Bool
        var kinds: [FormOption]
        var organizations: [FormOption]
        var partner: DealPages.NamedLink?
        var partnerId: String
        var exportHref: String
        var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let filter = try SaleQueries.filter(from: req)
        let service = try await req.service(SaleService.self)
        let pageRequest = try PageRequest(req)
        let (total, sales) = try await pageRequest.rows(SaleQueries.query(on: req.db, scope: service.scope, filter))
        let partners = try await Partner.names(of: sales.map(\.partnerID), scope: service.scope, on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let any = t["filter_any"] ?? "—"
        var partner: DealPages.NamedLink?
        if let id = filter.partnerID, let found = try await PartnerQueries.scoped(service.scope, on: req.db).filter(\.$id == id).first() {
            partner = DealPages.NamedLink(href: req.link(to: Site.sales.path, dropping: ["partnerId", "page"]), label: found.name)
        }
        let organizations = try await ReferenceNames.catalog(Organization.self, req.db)
        let rows = sales.map { s in
            Row(id: s.id!, number: s.number, date: RussianFormat.date(s.date), partnerId: s.partnerID, partner: partners[s.partnerID] ?? "",
                isReturn: s.isReturn, revenue: RussianFormat.money(cents: s.revenueCents), cost: RussianFormat.money(cents: s.costCents),
                grossProfit: RussianFormat.money(cents: s.revenueCents.subtractingSaturated(s.costCents)), lines: s.lineCount, deletionMark: s.deletionMark)
        }
        let kind = filter.isReturn.map { $0 ? "return" : "sale" }
        let body = ListBody(items: rows, total: total, q: filter.q ?? "", from: filter.from?.description ?? "", to: filter.to?.description ?? "",
                            includeDeleted: filter.includeDeleted, canEdit: try req.user.role.can(.editRecords),
                            kinds: FormOptions.make([("sale", t["sale_kind_sale"] ?? "sale"), ("return", t["sale_kind_return"] ?? "return")],
                                                    selected: kind, blank: any),
                            organizations: ReferenceNames.options(organizations, selected: filter.organizationID, blank: any),
                            partner: partner, partnerId: filter.partnerID?.uuidString ?? "",
                            exportHref: req.link(to: Site.exports.path(.salesCSV), dropping: ["page", "per"], droppingEmpty: true),
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("sale-list", titleKey: "nav_sales", page: body, for: req)
    }

}
