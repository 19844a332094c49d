import Fluent
import SdelkaCore
import Vapor

/// A counterparty's form, reached from its partner's card; the web twin of `CounterpartiesController`.
enum CounterpartyPages {
    /// The form pages: a counterparty is made from its partner's card, which saving returns to.
    static let forms = RecordFormPages<CounterpartyService>(
        section: .counterparties,
        render: { req, record, form, errors, status in
            let partner = try await owner(req, record?.partnerID ?? form?.uuid("partnerId") ?? req.query[UUID.self, at: "partnerId"])
            return try await render(req, partner: partner, counterparty: record, form: form, errors: errors, status: status)
        },
        input: { req, form, creating in
            var input = input(from: form)
            if creating { input.partnerId = try await owner(req, form.uuid("partnerId")).requireID() }
            return input
        },
        saved: { Site.partners.path($0.partnerID) })

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.counterparties.component)
        forms.register(on: group)
    }

    /// The partner the counterparty belongs to, visible to the user.
    static func owner(_ req: Request, _ id: UUID?) async throws -> Partner {
        guard let id, let partner = try await PartnerQueries.scoped(try await req.accessScope(), on: req.db).filter(\.$id == id).first()
        else { throw APIError.notFound("partner") }
        return partner
    }

    static func input(from form: PostedForm) -> CounterpartyInput {
        var input = CounterpartyInput()
        input.name = form.text("name") ?? ""
        input.fullName = form.text("fullName")
        input.code = form.text("code")
        input.legalForm = form.text("legalForm")
        input.inn = form.text("inn")
        input.kpp = form.text("kpp")
        input.ogrn = form.text("ogrn")
        input.okpo = form.text("okpo")
        input.country = form.text("country")
        input.headCounterpartyId = form.uuid("headCounterpartyId")
        input.contacts = form.contacts()
        input.version = form.text("version").flatMap { Int($0) }
        return input
    }

    static func render(_ req: Request, partner: Partner, counterparty: Counterparty?, form: PostedForm?,
                       errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let partnerID = try partner.requireID()
        let scope = try await req.accessScope()
        let (dto, history) = try await StoredRecord.load(counterparty, service: req.service(CounterpartyService.self, scope: scope), req: req).pair
        let heads = try await Counterparty.query(on: req.db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false)
            .filter(\.$headCounterpartyID == nil).sort(\.$name).all()
            .filter { $0.id != counterparty?.id }.map { (try $0.requireID().uuidString, $0.name) }
        let make = FieldMaker(t: t, form: form, errors: errors)
        var fields = [
            make.field("name", "field_name", stored: dto?.name, required: true),
            make.field("fullName", "field_full_name_public", stored: dto?.fullName),
            make.select("legalForm", "field_legal_form", LegalForm.allCases.map { ($0.rawValue, make.label("legal_form_\($0.rawValue)")) },
                        stored: dto?.legalForm ?? LegalForm.legalEntity.rawValue, blank: nil),
            make.field("inn", "field_inn", stored: dto?.inn),
            make.field("kpp", "field_kpp", stored: dto?.kpp),
            make.field("ogrn", "field_ogrn", stored: dto?.ogrn),
            make.field("okpo", "field_okpo", stored: dto?.okpo),
            make.field("country", "field_country", stored: dto?.country),
            make.field("code", "field_code", stored: dto?.code, hint: "hint_code"),
            make.select("headCounterpartyId", "field_head_counterparty", heads, stored: dto?.headCounterpartyId?.uuidString),
        ]
        let past = (dto?.nameHistory ?? []).map { "\($0.value) (\(make.label("until")) \(RussianFormat.date($0.until)))" }
            + (dto?.kppHistory ?? []).map { "\(make.label("field_kpp")) \($0.value) (\(make.label("until")) \(RussianFormat.date($0.until)))" }
        if !past.isEmpty {
            fields.append(FormField(name: "history", label: make.label("field_former_values"), type: .text,
                                    value: past.joined(separator: "; "), wide: true))
        }
        let page = RecordForm(
            heading: dto?.name ?? make.label("counterparty_new"), back: Site.partners.path(partnerID), backLabel: partner.name,
            action: dto.map { Site.counterparties.path($0.id) } ?? Site.counterparties.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"] ?? errors["partnerId"],
            sections: [FormSection(title: nil, fields: fields)], hasContacts: true,
            contacts: FormFlow.contactRows(stored: dto?.contacts ?? [], form: form, errors: errors), contactTypes: FormFlow.contactTypes(t),
            duplicates: [], history: history,
            hidden: dto == nil ? [HiddenField(name: "partnerId", value: partnerID.uuidString)] : [],
            deleteAction: dto.map { Site.counterparties.path($0.id) },
            related: dto.map { d in
                [RecordForm.RelatedLink(href: Site.agreements.path + "?counterpartyId=\(d.id)", label: make.label("nav_agreements")),
                 RecordForm.RelatedLink(href: Site.contracts.path + "?counterpartyId=\(d.id)", label: make.label("nav_contracts")),
                 RecordForm.RelatedLink(href: Site.sales.path + "?counterpartyId=\(d.id)", label: make.label("nav_sales"))]
            } ?? [])
        return try await WebPage.render("record-form", titleKey: "section_counterparties", page: page, for: req, status: status)
    }
}
