import Fluent
import SdelkaCore
import Vapor

/// The sales document form: header fields, then the lines (product, quantity, price, amount,
/// cost); a line left without amount gets quantity × price, without price the product's.
enum SaleForm {
    struct LineRow: Encodable, Sendable {
        var index: Int
        var productId: String
        var product: String
        var quantity: String
        var price: String
        var amount: String
        var cost: String
        var error: String?
    }

    struct Body: Encodable, Sendable {
        var heading: String
        var action: String
        var id: UUID?
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var formError: String?
        var partner: DealPages.NamedLink?
        var fields: [FormField]
        var lines: [LineRow]
        var linesError: String?
        var totals: [PartnerPages.Labeled]
        var history: [AuditPages.Row]
        var claims: ClaimsPanel?
    }

    /// Reads the posted form into the API's input. A product typed by SKU without the look-up
    /// (no scripts) is found by its SKU; a number that does not parse is a field error.
    static func input(from form: PostedForm, creating: Bool, on db: any Database) async throws -> SaleInput {
        var errors = FieldErrors()
        var lines: [SaleLineInput] = []
        func sku(_ index: Int) -> String? {
            guard form.uuid("lines.\(index).productId") == nil, let text = form.text("lines.\(index).product"), !text.isEmpty else { return nil }
            return text.components(separatedBy: " — ").first ?? text
        }
        // Products typed by SKU, all found with one query.
        let typed = Set((0..<200).compactMap(sku))
        let bySKU = typed.isEmpty ? [:] : Dictionary(try await Product.query(on: db).filter(\.$sku ~~ typed).all().map { ($0.sku, $0.id!) },
                                                     uniquingKeysWith: { first, _ in first })
        for index in 0..<200 {
            let at = "lines.\(index)."
            let text = form.text(at + "product") ?? "", quantity = form.text(at + "quantity") ?? ""
            guard !text.isEmpty || !quantity.isEmpty || form.uuid(at + "productId") != nil else { continue }
            var line = SaleLineInput()
            line.productId = form.uuid(at + "productId")
            if let sku = sku(index) {
                line.productId = bySKU[sku]
                if line.productId == nil { errors.add("lines.\(lines.count).productId", "names a product that does not exist") }
            }
            func number(_ field: String) -> Decimal? {
                guard let raw = form.text(at + field), !raw.isEmpty else { return nil }
                guard let value = Money.parse(raw) else { errors.add("lines.\(lines.count).\(field)", "must be a number"); return nil }
                return value
            }
            line.quantity = number("quantity")
            line.price = number("price")
            line.amount = number("amount")
            line.cost = number("cost")
            lines.append(line)
        }
        try errors.check()
        var input = SaleInput()
        input.number = form.text("number").flatMap { $0.isEmpty ? nil : $0 }
        input.date = form.text("date")
        input.partnerId = form.uuid("partnerId")
        input.counterpartyId = form.uuid("counterpartyId")
        input.organizationId = form.uuid("organizationId")
        input.dealId = form.uuid("dealId")
        input.agreementId = form.uuid("agreementId")
        input.contractId = form.uuid("contractId")
        input.comment = form.text("comment")
        input.lines = lines
        input.version = form.text("version").flatMap { Int($0) }
        if creating && input.date?.isEmpty != false { input.date = nil }
        return input
    }

    static func render(_ req: Request, sale: Sale?, form: PostedForm?, errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(SaleService.self)
        var dto: SaleDTO?
        if let sale { dto = try await service.dto(sale) }
        let make = FieldMaker(t: t, form: form, errors: errors)
        let partnerID = form?.uuid("partnerId") ?? dto?.partnerId ?? req.query[UUID.self, at: "partnerId"]
        var partnerName = ""
        var counterparties: [(String, String)] = [], deals: [(String, String)] = [], agreements: [(String, String)] = [], contracts: [(String, String)] = []
        if let partnerID, let partner = try await PartnerQueries.scoped(service.scope, on: req.db).filter(\.$id == partnerID).first() {
            partnerName = partner.name
            let own = try await Counterparty.query(on: req.db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false).sort(\.$name).all()
            counterparties = own.map { ($0.id!.uuidString, $0.name) }
            let ownIDs = own.compactMap(\.id)
            deals = try await Deal.query(on: req.db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false)
                .sort(\.$number, .descending).range(0..<100).all().map { ($0.id!.uuidString, "№\($0.number) \($0.name)") }
            agreements = try await Agreement.query(on: req.db).filter(\.$counterpartyID ~~ ownIDs).filter(\.$deletionMark == false).all()
                .map { ($0.id!.uuidString, $0.name == $0.number ? $0.number : "\($0.number) \($0.name)") }
            contracts = try await Contract.query(on: req.db).filter(\.$counterpartyID ~~ ownIDs).filter(\.$deletionMark == false).all()
                .map { ($0.id!.uuidString, $0.name == $0.number ? $0.number : "\($0.number) \($0.name)") }
        }
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone).description
        var fields = [
            make.field("number", "field_doc_number", stored: dto?.number, hint: dto == nil ? "hint_doc_number" : nil),
            make.field("date", "field_date", .date, stored: dto?.date ?? today, required: true),
            FormField(name: "partnerId", label: make.label("field_partner"), type: .lookup, value: partnerID?.uuidString ?? "",
                      display: partnerName, lookup: Site.lookup.path(.partners), required: true).withError(errors),
            make.select("counterpartyId", "field_counterparty", counterparties, stored: dto?.counterpartyId?.uuidString),
            make.select("organizationId", "field_organization", try await ReferenceNames.catalog(Organization.self, req.db).map { ($0.0.uuidString, $0.1) },
                        stored: dto?.organizationId?.uuidString),
        ]
        if try await SettingsStore.features(on: req.db).isEnabled(.deals) {
            fields.append(make.select("dealId", "field_deal", deals, stored: dto?.dealId?.uuidString))
        }
        fields += [
            make.select("agreementId", "field_agreement", agreements, stored: dto?.agreementId?.uuidString),
            make.select("contractId", "field_contract", contracts, stored: dto?.contractId?.uuidString),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        let productIDs: [UUID] = (dto?.lines ?? []).map(\.productId)
        let products = try await Product.query(on: req.db).filter(\.$id ~~ productIDs).all()
        var lines: [LineRow] = []
        if let form {
            for index in 0..<200 where form.text("lines.\(index).product")?.isEmpty == false || form.text("lines.\(index).quantity")?.isEmpty == false {
                let at = "lines.\(index)."
                let row = lines.count
                lines.append(LineRow(index: row, productId: form.text(at + "productId") ?? "", product: form.text(at + "product") ?? "",
                                     quantity: form.text(at + "quantity") ?? "", price: form.text(at + "price") ?? "",
                                     amount: form.text(at + "amount") ?? "", cost: form.text(at + "cost") ?? "",
                                     error: ["productId", "quantity", "price", "amount", "cost"].compactMap { errors["lines.\(row).\($0)"] }.first))
            }
        } else {
            lines = (dto?.lines ?? []).enumerated().map { index, line in
                let product = products.first { $0.id == line.productId }
                return LineRow(index: index, productId: line.productId.uuidString, product: product.map { "\($0.sku) — \($0.name)" } ?? "",
                               quantity: "\(line.quantity)", price: "\(line.price)", amount: "\(line.amount)", cost: "\(line.cost)")
            }
        }
        for _ in 0..<max(1, 3 - lines.count) {
            lines.append(LineRow(index: lines.count, productId: "", product: "", quantity: "", price: "", amount: "", cost: ""))
        }
        let totals: [PartnerPages.Labeled] = dto.map { d in
            [PartnerPages.Labeled(label: make.label("field_revenue"), value: RussianFormat.money(cents: Money.cents(d.revenue) ?? 0)),
             PartnerPages.Labeled(label: make.label("field_cost"), value: RussianFormat.money(cents: Money.cents(d.cost) ?? 0)),
             PartnerPages.Labeled(label: make.label("field_gross_profit"), value: RussianFormat.money(cents: Money.cents(d.grossProfit) ?? 0))]
        } ?? []
        var heading = make.label("sale_new")
        if let d = dto {
            let kind = d.isReturn ? make.label("sale_return_heading") : make.label("sale_heading")
            heading = kind + " № " + d.number + " " + make.label("of_date") + " " + RussianFormat.date(d.date)
        }
        var history: [AuditPages.Row] = [], claims: ClaimsPanel?
        if let dto {
            history = try await AuditPages.history(of: Sale.objectType, id: dto.id, req: req)
            claims = try await ClaimsPanel.load(partner: dto.partnerId, basis: ClaimBasisDTO(type: .sale, id: dto.id), scope: service.scope, req: req)
        }
        let body = Body(heading: heading, action: dto.map { Site.sales.path($0.id) } ?? Site.sales.path, id: dto?.id, version: dto?.version ?? 0,
                        deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
                        partner: partnerID.map { DealPages.NamedLink(href: Site.partners.path($0), label: partnerName) },
                        fields: fields, lines: lines, linesError: errors["lines"], totals: totals,
                        history: history, claims: claims)
        return try await WebPage.render("sale-form", titleKey: "nav_sales", page: body, for: req, status: status)
    }
}
