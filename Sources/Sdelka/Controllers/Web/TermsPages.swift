import Fluent
import SdelkaCore
import Vapor

/// Agreements and contracts in the web UI: a list (all, or one counterparty's) and the form;
/// both go through `TermsService`, as the API does. A new one is made from its counterparty's page.
struct TermsPages<M: CounterpartyTerms>: Sendable {
    let section: Site
    let titleKey: String
    let newKey: String

    struct Row: Encodable, Sendable {
        var id: UUID
        var number: String
        var name: String
        var counterparty: String
        var validity: String
        var priceType: String
        var paymentTerms: String
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var base: String
        var items: [Row]
        var total: Int
        var q: String
        var includeDeleted: Bool
        var counterparty: DealPages.NamedLink?
        var counterpartyId: String
        var canEdit: Bool
        var pager: Pager
    }

    /// The form pages: a new one belongs to the counterparty it was started from.
    var forms: RecordFormPages<TermsService<M>> {
        let pages = self
        return RecordFormPages(section: section, render: { req, record, form, errors, status in
            let counterparty = record?.counterpartyID ?? form?.uuid("counterpartyId") ?? req.query[UUID.self, at: "counterpartyId"]
            return try await pages.render(req, model: record, counterpartyID: counterparty, form: form, errors: errors, status: status)
        }, input: { _, form, _ in pages.input(from: form) }, clearable: Array(TermsInput.clearable), nameField: "number")
    }

    func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(section.component)
        group.get(use: list)
        forms.register(on: group)
    }

    @Sendable func list(req: Request) async throws -> Response {
        var params = QueryParameters(req)
        let counterpartyID = params.uuid("counterpartyId")
        try params.check()
        let query = try await req.service(TermsService<M>.self).list(counterparty: counterpartyID, q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        let page = try await PageRequest(req).fetch(query) { try TermsDTO($0) }
        let ids = Array(Set(page.items.map(\.counterpartyId)))
        let names = Dictionary(uniqueKeysWithValues: try await Counterparty.query(on: req.db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.name) })
        var counterparty: DealPages.NamedLink?
        if let counterpartyID, let found = try await CounterpartyQueries.scoped(try await req.accessScope(), on: req.db)
            .filter(\.$id == counterpartyID).first() {
            counterparty = DealPages.NamedLink(href: Site.counterparties.path(counterpartyID), label: found.name)
        }
        let rows = page.items.map { item in
            Row(id: item.id, number: item.number, name: item.name == item.number ? "" : item.name, counterparty: names[item.counterpartyId] ?? "",
                validity: [item.validFrom, item.validTo].map { $0.map(RussianFormat.date) ?? "…" }.joined(separator: " – "),
                priceType: item.priceType ?? "", paymentTerms: item.paymentTerms ?? "", deletionMark: item.deletionMark)
        }
        let body = ListBody(base: section.path, items: rows, total: page.total, q: req.text("q") ?? "", includeDeleted: req.flag("includeDeleted"),
                            counterparty: counterparty, counterpartyId: counterpartyID?.uuidString ?? "",
                            canEdit: try req.user.role.can(.editRecords),
                            pager: Pager(req, page: page.page, per: page.per, total: page.total))
        return try await WebPage.render("terms-list", titleKey: titleKey, page: body, for: req)
    }

    func input(from form: PostedForm) -> TermsInput {
        TermsInput(counterpartyId: form.uuid("counterpartyId"), organizationId: form.uuid("organizationId"), number: form.text("number") ?? "",
                   name: form.text("name"), date: form.text("date"), validFrom: form.text("validFrom"), validTo: form.text("validTo"),
                   priceType: form.text("priceType"), paymentTerms: form.text("paymentTerms"), comment: form.text("comment"),
                   version: form.text("version").flatMap { Int($0) })
    }

    func render(_ req: Request, model: M?, counterpartyID: UUID?, form: PostedForm?, errors: [String: String],
                status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let dto = try model.map(TermsDTO.init)
        let scope = try await req.accessScope()
        guard let counterpartyID, let counterparty = try await CounterpartyQueries.scoped(scope, on: req.db)
            .filter(\.$id == counterpartyID).first() else {
            throw APIError.validation("counterpartyId", "names a counterparty that does not exist")
        }
        let make = FieldMaker(t: t, form: form, errors: errors)
        let fields = [
            make.field("number", "field_doc_number", stored: dto?.number, required: true),
            make.field("name", "field_name", stored: dto.map { $0.name == $0.number ? "" : $0.name }, wide: true),
            make.field("date", "field_date", .date, stored: dto?.date),
            make.select("organizationId", "field_organization", try await ReferenceNames.catalog(Organization.self, req.db).map { ($0.0.uuidString, $0.1) },
                        stored: dto?.organizationId?.uuidString),
            make.field("validFrom", "field_valid_from", .date, stored: dto?.validFrom),
            make.field("validTo", "field_valid_to", .date, stored: dto?.validTo),
            make.field("priceType", "field_price_type", stored: dto?.priceType),
            make.field("paymentTerms", "field_payment_terms", stored: dto?.paymentTerms),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        let history = dto == nil ? [] : try await AuditPages.history(of: M.objectType, id: dto!.id, req: req)
        let page = RecordForm(
            heading: dto.map { "\(make.label(titleKey + "_one")) № \($0.number)" } ?? make.label(newKey),
            back: section.path + "?counterpartyId=\(counterpartyID)", backLabel: counterparty.name,
            action: dto.map { section.path($0.id) } ?? section.path, id: dto?.id, version: dto?.version ?? 0,
            deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.editRecords), formError: errors["form"] ?? errors["counterpartyId"],
            sections: [FormSection(title: nil, fields: fields)], hasContacts: false, contacts: [], contactTypes: [],
            duplicates: [], history: history,
            hidden: dto == nil ? [HiddenField(name: "counterpartyId", value: counterpartyID.uuidString)] : [],
            deleteAction: dto.map { section.path($0.id) })
        return try await WebPage.render("record-form", titleKey: titleKey, page: page, for: req, status: status)
    }
}
