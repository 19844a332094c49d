import Fluent
import SdelkaCore
import Vapor

/// The partner form: new, edit, save with the duplicate check, mark and restore.
extension PartnerPages {
    /// `?phone=` (an unknown caller) or `?email=&name=` (an unknown sender): the number or
    /// address as the first contact, the note of the source says so, and the user picks where
    /// the client came from. A sender's letters follow the partner once saved.
    @Sendable static func new(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let today = RussianFormat.date(CalendarDate(Date(), in: req.application.sdelka.timeZone).description)
        func unknown(_ type: String, _ value: String, note: String, _ extra: [String: String]) -> PostedForm {
            PostedForm(values: ["kind": Partner.Kind.company.rawValue, "isClient": "true", "contacts.0.type": type, "contacts.0.kind": "",
                                "contacts.0.value": value, "source.note": WebPage.text(req, note, ["date": today])].merging(extra) { $1 })
        }
        var prefilled: PostedForm?
        if let phone = req.text("phone") {
            prefilled = unknown("phone", Phone.display(phone), note: "source_incoming_call", [:])
        } else if let email = req.text("email") {
            prefilled = unknown("email", email, note: "source_incoming_mail", ["name": req.text("name") ?? "", "linkMail": email])
        }
        return try await renderForm(req, partner: nil, form: prefilled, errors: [:], duplicates: [])
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, _) = try await req.record(PartnerService.self)
        return try await renderForm(req, partner: partner, form: nil, errors: [:], duplicates: [])
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let form = try PostedForm(req)
        let scope = try await req.accessScope()
        let features = try await SettingsStore.features(on: req.db)
        let input = PartnerFormInput.partner(from: form, features: features)
        // The duplicate check runs before saving; the user decides (DOMAIN.md §1).
        if !form.flag("confirmDuplicates") {
            let draft = PartnerDuplicates.Draft(name: input.name, inn: input.counterparty?.inn, contacts: input.contacts, excludeId: nil)
            let candidates = try await PartnerDuplicates.find(draft, scope: scope, on: req.db)
            if !candidates.isEmpty {
                return try await renderForm(req, partner: nil, form: form, errors: [:], duplicates: candidates, status: .ok)
            }
        }
        let service = try await req.service(PartnerService.self, scope: scope)
        return try await FormFlow.save(req, flashKey: "created", name: input.name.cleaned ?? "", write: {
            let id = try await service.create(input).requireID()
            if let address = form.text("linkMail").cleaned, features.isEnabled(.interactions) {
                _ = try await UnknownSenders.link(.init(address: address, partnerId: id, contactPersonId: nil), service: try await req.service(InteractionService.self))
            }
            return Site.partners.path(id)
        }, rerender: { errors in
            try await renderForm(req, partner: nil, form: form, errors: errors, duplicates: [], status: .unprocessableEntity)
        })
    }

    @Sendable static func update(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, service) = try await req.record(PartnerService.self)
        let form = try PostedForm(req)
        let features = try await SettingsStore.features(on: req.db)
        let input = PartnerFormInput.partner(from: form, features: features)
        let clearing = form.empty(["parentId", "mainManagerId", "businessRegionId", "accessGroupId"])
        return try await FormFlow.save(req, flashKey: "saved", name: form.text("name").cleaned ?? partner.name, write: {
            try await service.update(partner, with: input, clearing: clearing)
            return Site.partners.path(try partner.requireID())
        }, rerender: { errors in
            let (fresh, _) = try await req.record(PartnerService.self)
            return try await renderForm(req, partner: fresh, form: form, errors: errors, duplicates: [], status: .unprocessableEntity)
        })
    }


    static func renderForm(_ req: Request, partner: Partner?, form: PostedForm?, errors: [String: String],
                           duplicates: [PartnerDuplicates.Candidate], status: HTTPStatus = .ok) async throws -> Response {
        let scope = try await req.accessScope()
        let names = try await ReferenceNames.load(req)
        let t = req.application.localizer.strings(WebPage.language(req))
        var dto: PartnerDTO?
        var counterparty: Counterparty?
        if let partner {
            let service = try await req.service(PartnerService.self, scope: scope)
            dto = try await service.dto(partner)
            if !names.features.isEnabled(.independentCounterparties) {
                counterparty = try await service.liveCounterparties(of: partner.requireID()).first
            }
        }
        var parentName = ""
        if let parent = form?.uuid("parentId") ?? dto?.parentId,
           let found = try await PartnerQueries.scoped(scope, on: req.db).filter(\.$id == parent).first() {
            parentName = found.name
        }
        var referrerName = ""
        if let referrer = form?.uuid("source.referrerPartnerId") ?? dto?.source?.referrerPartnerId,
           let found = try await PartnerQueries.scoped(scope, on: req.db).filter(\.$id == referrer).first() {
            referrerName = found.name
        }
        let events = names.features.isEnabled(.marketingEvents)
            ? try await MarketingEvent.query(on: req.db).filter(\.$deletionMark == false).sort(\.$plannedStart, .descending)
                .range(0..<200).all().map { (try $0.requireID(), $0.name + " · " + RussianFormat.date($0.plannedStart)) }
            : []
        let builder = PartnerFormBuilder(t: t, names: names, form: form, dto: dto, counterparty: counterparty,
                                         parentName: parentName, referrerName: referrerName, events: events, errors: errors)
        let id = dto?.id
        let page = RecordForm(
            heading: dto?.name ?? (t["partner_new"] ?? ""), back: id.map { Site.partners.path($0) } ?? Site.partners.path,
            backLabel: dto?.name ?? (t["nav_partners"] ?? ""), action: id.map { Site.partners.path($0) } ?? Site.partners.path,
            id: id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            sections: builder.sections(), hasContacts: true, contacts: builder.contactRows(),
            contactTypes: FormFlow.contactTypes(t),
            duplicates: duplicates.map { RecordForm.DuplicateRow(id: $0.id, name: $0.name, reasons: $0.reasons.map { t["duplicate_\($0)"] ?? $0 }.joined(separator: ", ")) },
            history: [], hidden: form?.text("linkMail").cleaned.map { [HiddenField(name: "linkMail", value: $0)] } ?? [])
        return try await WebPage.render("record-form", titleKey: "nav_partners", page: page, for: req, status: status)
    }
}
