import Fluent
import SdelkaCore
import Vapor

/// Competitors' prices in the web UI: the list with its filters and the form (with files); a
/// deal's or an interaction's card opens the form with its competitor and itself filled in.
enum CompetitorPricePages {
    static let forms = RecordFormPages<CompetitorPriceService>(
        section: .competitorPrices,
        render: { req, record, form, errors, status in try await render(req, price: record, form: form, errors: errors, status: status) },
        input: { req, form, _ in try await input(from: form, req: req) },
        clearable: ["unit", "note", "sourceId"], nameField: "date")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.competitorPrices.component)
        group.get(use: list)
        forms.register(on: group)
        routes.post(Site.competitorNotes.component, use: addNote)
    }

    struct Row: Encodable, Sendable {
        var id: UUID; var date: String; var competitor: String; var competitorId: UUID; var product: String; var productId: UUID
        var price: String; var source: String; var deletionMark: Bool
    }
    struct ListBody: Encodable, Sendable {
        var items: [Row]; var canEdit: Bool; var competitors: [FormOption]; var products: [FormOption]; var from: String; var to: String
        var total: Int; var pager: Pager
    }

    static func competitorOptions(_ db: any Database) async throws -> [(String, String)] {
        try await Partner.query(on: db).filter(\.$isCompetitor == true).filter(\.$deletionMark == false).sort(\.$name).all()
            .map { (try $0.requireID().uuidString, $0.name) }
    }

    static func productOptions(_ db: any Database) async throws -> [(String, String)] {
        try await Product.query(on: db).filter(\.$deletionMark == false).sort(\.$sku).range(0..<2000).all()
            .map { (try $0.requireID().uuidString, "\($0.sku) — \($0.name)") }
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let filter = try CompetitorPriceService.Filter.filter(from: req)
        let service = try await req.service(CompetitorPriceService.self)
        let pageRequest = try PageRequest(req)
        let (total, prices) = try await pageRequest.rows(service.list(filter))
        let names = try await Partner.query(on: req.db).filter(\.$id ~~ Set(prices.map(\.competitorID))).all()
            .reduce(into: [UUID: String]()) { $0[$1.id ?? UUID()] = $1.name }
        let products = try await Product.query(on: req.db).filter(\.$id ~~ Set(prices.map(\.productID))).all()
            .reduce(into: [UUID: String]()) { $0[$1.id ?? UUID()] = "\($1.sku) — \($1.name)" }
        let sources = Dictionary(try await ReferenceNames.catalog(CompetitorPriceSource.self, req.db), uniquingKeysWith: { a, _ in a })
        let rows = try prices.map { p in
            Row(id: try p.requireID(), date: RussianFormat.date(p.date), competitor: names[p.competitorID] ?? "", competitorId: p.competitorID,
                product: products[p.productID] ?? "", productId: p.productID,
                price: RussianFormat.money(cents: p.priceCents, symbol: p.currency == "RUB" ? "₽" : p.currency),
                source: p.sourceID.flatMap { sources[$0] } ?? "", deletionMark: p.deletionMark)
        }
        let t = req.application.localizer.strings(WebPage.language(req))
        return try await WebPage.render("competitor-price-list", titleKey: "nav_competitor_prices", page: ListBody(
            items: rows, canEdit: try req.user.role.can(.editRecords),
            competitors: FormOptions.make(try await competitorOptions(req.db), selected: filter.competitorID?.uuidString, blank: t["all"] ?? "—"),
            products: FormOptions.make(try await productOptions(req.db), selected: filter.productID?.uuidString, blank: t["all"] ?? "—"),
            from: filter.from?.description ?? "", to: filter.to?.description ?? "", total: total,
            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total)), for: req)
    }

    static func input(from form: PostedForm, req: Request) async throws -> CompetitorPriceInput {
        var input = CompetitorPriceInput()
        input.competitorId = form.uuid("competitorId")
        input.productId = form.uuid("productId")
        input.date = form.text("date")
        if let text = form.text("price"), !text.isEmpty {
            guard let amount = Money.parse(text) else { throw FieldErrors("price", "is not an amount with at most 2 decimals") }
            input.price = amount
        }
        input.currency = form.text("currency")
        input.unit = form.text("unit")
        input.sourceId = form.uuid("sourceId")
        input.dealId = form.uuid("dealId")
        input.interactionId = form.uuid("interactionId")
        input.note = form.text("note")
        let added = form.files.filter { $0.field == "files" }
        if !added.isEmpty {
            let kept = try await form.uuid("id").asyncFlatMap { try await CompetitorPriceService.files(of: [$0], on: req.db)[$0] } ?? []
            input.attachments = kept.map { AttachmentInput(id: $0.id) }
                + added.map { AttachmentInput(filename: $0.filename, contentType: $0.contentType, content: $0.data.base64EncodedString()) }
        }
        input.version = form.text("version").flatMap { Int($0) }
        return input
    }

    struct FormBody: Encodable, Sendable {
        var heading: String; var action: String; var id: UUID?; var version: Int; var deletionMark: Bool; var canEdit: Bool
        var formError: String?; var fields: [FormField]; var files: [AttachmentDTO]; var dealId: String; var interactionId: String
        var history: [AuditPages.Row]
    }

    static func render(_ req: Request, price: CompetitorPrice?, form: PostedForm?, errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(CompetitorPriceService.self)
        let (dto, history) = try await StoredRecord.load(price, service: service, req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone).description
        // From a deal's or an interaction's card: its competitor, product and itself come along.
        let asked = { (name: String) in req.query[String.self, at: name] }
        let fields = [
            make.select("competitorId", "field_competitor", try await competitorOptions(req.db), stored: dto?.competitorId.uuidString ?? asked("competitorId")),
            make.select("productId", "field_product", try await productOptions(req.db), stored: dto?.productId.uuidString ?? asked("productId")),
            make.field("date", "field_date", .date, stored: dto?.date ?? today, required: true),
            make.field("price", "field_price", stored: dto.map { "\($0.price)" }, required: true),
            make.field("currency", "field_currency", stored: dto?.currency ?? "RUB"),
            make.field("unit", "field_unit", stored: dto?.unit),
            make.select("sourceId", "field_price_source", try await ReferenceNames.catalog(CompetitorPriceSource.self, req.db).map { ($0.0.uuidString, $0.1) },
                        stored: dto?.sourceId?.uuidString),
            make.field("note", "field_comment", .textarea, stored: dto?.note, wide: true),
            FormField(name: "files", label: make.label("field_attachments"), type: .file, wide: true),
        ]
        let body = FormBody(heading: dto.map { RussianFormat.date($0.date) } ?? (t["competitor_price_new"] ?? ""),
                            action: dto.map { Site.competitorPrices.path($0.id) } ?? Site.competitorPrices.path, id: dto?.id,
                            version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.editRecords),
                            formError: errors["form"], fields: fields, files: dto?.attachments ?? [],
                            dealId: form?.text("dealId") ?? dto?.dealId?.uuidString ?? asked("dealId") ?? "",
                            interactionId: form?.text("interactionId") ?? dto?.interactionId?.uuidString ?? asked("interactionId") ?? "", history: history)
        return try await WebPage.render("competitor-price-form", titleKey: "nav_competitor_prices", page: body, for: req, status: status)
    }

    /// `POST /competitor-notes` from a competitor's card: a dated strength or weakness.
    @Sendable static func addNote(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let form = try PostedForm(req)
        let competitor = form.uuid("competitorId")
        let back = competitor.map { Site.partners.path($0) } ?? Site.partners.path
        do {
            _ = try await req.service(CompetitorNoteService.self).create(CompetitorNoteInput(
                competitorId: competitor, date: form.text("date"), kind: form.text("kind").flatMap(CompetitorNote.Kind.init(rawValue:)), text: form.text("text")))
            return WebPage.redirect(req, to: back, flash: WebPage.text(req, "competitor_note_saved"))
        } catch let errors as FieldErrors {
            return WebPage.redirect(req, to: back, flash: FormErrors.flash(errors.fields, req))
        }
    }
}
