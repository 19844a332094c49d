import Fluent
import SdelkaCore
import Vapor

/// The partner list, card and form: the web twin of `PartnersController`, on the same
/// services, so the rules (access, validation, duplicates, the one-form counterparty) are one.
enum PartnerPages {
    static func register(on routes: any RoutesBuilder) {
        let partners = routes.grouped("partners")
        partners.get(use: list)
        partners.get("new", use: new)
        partners.post(use: create)
        partners.get(":id", use: card)
        partners.get(":id", "edit", use: edit)
        partners.post(":id", use: update)
        partners.post(":id", "delete", use: markDeleted)
        partners.post(":id", "restore", use: restore)
        partners.post(":id", "merge", use: merge)
        partners.post(":id", "links", use: addLink)
        partners.post(":id", "links", ":linkID", "delete", use: removeLink)
        routes.get("lookup", "partners", use: lookup)
    }

    /// From the card: `kind` is `<kindId>|out` (the other partner is the kind's reverse name
    /// to this one) or `<kindId>|in` (it is the kind's name).
    @Sendable static func addLink(req: Request) async throws -> Response {
        let (partner, _) = try await PartnersController.find(req)
        let form = try PostedForm(req)
        let id = try partner.requireID()
        let parts = (form["kind"] ?? "").split(separator: "|").map(String.init)
        let other = form.uuid("otherId")
        let outgoing = parts.last == "out"
        let input = PartnerLinkInput(partnerId: outgoing ? id : other, linkedPartnerId: outgoing ? other : id,
                                     kindId: parts.first.flatMap { UUID(uuidString: $0) }, comment: form.text("comment"))
        do {
            _ = try await PartnerLinksController.create(input, req: req)
            return WebPage.redirect(req, to: "/partners/\(id)", flash: WebPage.text(req, "link_added"))
        } catch let errors as FieldErrors {
            let reasons = FormErrors.localize(errors.fields, req)
            let message = reasons["linkedPartnerId"] ?? reasons["partnerId"] ?? reasons["kindId"] ?? reasons.values.first ?? ""
            return WebPage.redirect(req, to: "/partners/\(id)", flash: WebPage.text(req, "link_not_added") + ": " + message)
        }
    }

    /// From the card: this partner is merged into the one chosen (`intoId`), as the API does.
    @Sendable static func merge(req: Request) async throws -> Response {
        let user = try req.require(.editRecords)
        let (merged, scope) = try await PartnersController.find(req)
        let id = try merged.requireID()
        let form = try PostedForm(req)
        guard let intoID = form.uuid("intoId"),
              let survivor = try await PartnersController.scoped(scope, on: req.db).filter(\.$id == intoID).first() else {
            return WebPage.redirect(req, to: "/partners/\(id)", flash: WebPage.text(req, "merge_failed") + ": "
                                    + FormErrors.localize(["intoId": "names a partner that does not exist"], req)["intoId"]!)
        }
        do {
            _ = try await PartnerMerge.merge(merged, into: survivor, by: ChangeAuthor(user), on: req.db)
        } catch let errors as FieldErrors {
            return WebPage.redirect(req, to: "/partners/\(id)", flash: WebPage.text(req, "merge_failed") + ": "
                                    + (FormErrors.localize(errors.fields, req).values.first ?? ""))
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .conflict {
            let reason = error.fields.flatMap { FormErrors.localize($0, req).values.first } ?? error.message
            return WebPage.redirect(req, to: "/partners/\(id)", flash: WebPage.text(req, "merge_failed") + ": " + reason)
        }
        return WebPage.redirect(req, to: "/partners/\(intoID)",
                                flash: WebPage.text(req, "merged", ["name": merged.name, "into": survivor.name]))
    }

    @Sendable static func removeLink(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, scope) = try await PartnersController.find(req)
        let id = try partner.requireID()
        guard let link = try await PartnerLinksController.scoped(scope, on: req.db).filter(\.$id == req.idParameter("linkID"))
            .group(.or, { $0.filter(\.$partnerID == id).filter(\.$linkedPartnerID == id) }).first()
        else { throw APIError.notFound("partner link") }
        try await PartnerLinksController.writer(req).markDeleted(link)
        return WebPage.redirect(req, to: "/partners/\(id)", flash: WebPage.text(req, "link_removed"))
    }

    // MARK: list

    struct Row: Encodable, Sendable {
        var id: UUID
        var name: String
        var code: String
        var kind: String
        var isPerson: Bool
        var flags: [String]
        var manager: String
        var region: String
        var phone: String
        var email: String
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var total: Int
        var q: String
        var includeDeleted: Bool
        var canEdit: Bool
        var filters: [FormField]
        var sortLinks: [SortLink]
        var pager: Pager
    }

    struct SortLink: Encodable, Sendable {
        var key: String
        var label: String
        var href: String
        var mark: String
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let scope = try await req.accessScope()
        let filter = try PartnersController.filter(from: req)
        let pageRequest = try PageRequest(req)
        let (total, partners) = try await pageRequest.rows(PartnersController.query(on: req.db, scope: scope, filter))
        let dtos = try await PartnersController.dtos(partners, on: req.db)
        let names = try await ReferenceNames.load(req)
        let t = req.application.localizer.strings(WebPage.language(req))
        let rows = dtos.map { p in
            Row(id: p.id, name: p.name, code: p.code ?? "", kind: t["kind_\(p.kind)"] ?? p.kind, isPerson: p.kind == Partner.Kind.person.rawValue,
                flags: [(p.isClient, "flag_client"), (p.isSupplier, "flag_supplier"), (p.isCompetitor, "flag_competitor"), (p.isOther, "flag_other")]
                    .filter(\.0).map { t[$0.1] ?? $0.1 },
                manager: ReferenceNames.name(p.mainManagerId, in: names.users),
                region: ReferenceNames.name(p.businessRegionId, in: names.regions),
                phone: p.contacts.first { $0.type == "phone" }.map { Phone.display($0.value) } ?? "",
                email: p.contacts.first { $0.type == "email" }?.value ?? "", deletionMark: p.deletionMark)
        }
        let body = ListBody(items: rows, total: total, q: filter.q ?? "", includeDeleted: filter.includeDeleted,
                            canEdit: try req.user.role.can(.editRecords), filters: filterFields(filter, names, t),
                            sortLinks: sortLinks(req, current: filter.sort, t),
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("partner-list", titleKey: "nav_partners", page: body, for: req)
    }

    static func filterFields(_ filter: PartnersController.Filter, _ names: ReferenceNames, _ t: [String: String]) -> [FormField] {
        let any = t["filter_any"] ?? "—"
        func yesNo(_ name: String, _ label: String, _ value: Bool?) -> FormField {
            FormField(name: name, label: t[label] ?? label, type: .select,
                      options: FormOptions.make([("true", t["yes"] ?? "yes"), ("false", t["no"] ?? "no")],
                                                selected: value.map { $0 ? "true" : "false" }, blank: any))
        }
        var fields = [
            yesNo("isClient", "flag_client", filter.isClient),
            yesNo("isSupplier", "flag_supplier", filter.isSupplier),
            yesNo("isCompetitor", "flag_competitor", filter.isCompetitor),
            FormField(name: "kind", label: t["field_kind"] ?? "", type: .select,
                      options: FormOptions.make(Partner.Kind.allCases.map { ($0.rawValue, t["kind_\($0.rawValue)"] ?? $0.rawValue) },
                                                selected: filter.kind?.rawValue, blank: any)),
            FormField(name: "mainManagerId", label: t["field_manager"] ?? "", type: .select,
                      options: ReferenceNames.options(names.users, selected: filter.mainManagerID, blank: any)),
        ]
        if names.features.isEnabled(.businessRegions) {
            fields.append(FormField(name: "businessRegionId", label: t["field_region"] ?? "", type: .select,
                                    options: ReferenceNames.options(names.regions, selected: filter.businessRegionID, blank: any)))
        }
        if names.features.isEnabled(.accessGroups) {
            fields.append(FormField(name: "accessGroupId", label: t["field_access_group"] ?? "", type: .select,
                                    options: ReferenceNames.options(names.groups, selected: filter.accessGroupID, blank: any)))
        }
        return fields
    }

    static func sortLinks(_ req: Request, current: PartnersController.Sort, _ t: [String: String]) -> [SortLink] {
        [("name", "field_name"), ("code", "field_code"), ("registeredOn", "field_registered_on")].map { key, label in
            let ascending = current.rawValue == key, descending = current.rawValue == "-" + key
            var items = (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name != "sort" && $0.name != "page" }
            items.append(URLQueryItem(name: "sort", value: ascending ? "-" + key : key))
            var components = URLComponents()
            components.queryItems = items
            return SortLink(key: key, label: t[label] ?? label, href: "/partners?" + (components.percentEncodedQuery ?? ""),
                            mark: ascending ? "▲" : descending ? "▼" : "")
        }
    }

    /// `GET /lookup/partners?q=`: names for the partner look-up fields of forms, access-scoped.
    @Sendable static func lookup(req: Request) async throws -> [LookupItem] {
        guard let q = req.text("q"), q.count >= 2 else { return [] }
        let scope = try await req.accessScope()
        let query = PartnersController.query(on: req.db, scope: scope, .init(q: q))
        return try await query.range(0..<20).all().map { LookupItem(id: try $0.requireID(), label: $0.name) }
    }

    struct LookupItem: Content { var id: UUID; var label: String }

    // MARK: card

    struct CardBody: Encodable, Sendable {
        var partner: PartnerDTO
        var kind: String
        var flags: [String]
        var fields: [Labeled]
        var contacts: [ContactLine]
        var source: [Labeled]
        var parent: NamedLink?
        var children: [NamedLink]
        var counterparties: [CounterpartyRow]
        var contactPersons: [PersonRow]
        var links: [LinkRow]
        var linkKinds: [FormOption]
        var canEdit: Bool
        var canAddCounterparty: Bool
        var history: [AuditPages.Row]
    }

    struct Labeled: Encodable, Sendable { var label: String; var value: String }
    struct NamedLink: Encodable, Sendable { var id: UUID; var name: String }
    struct ContactLine: Encodable, Sendable { var type: String; var kind: String; var value: String; var href: String }
    struct CounterpartyRow: Encodable, Sendable {
        var id: UUID; var name: String; var legalForm: String; var inn: String; var kpp: String; var isBranch: Bool; var deletionMark: Bool
    }
    struct PersonRow: Encodable, Sendable {
        var id: UUID; var name: String; var position: String; var roles: String; var phone: String; var email: String; var former: Bool
    }
    struct LinkRow: Encodable, Sendable { var id: UUID; var role: String; var other: NamedLink; var comment: String }

    @Sendable static func card(req: Request) async throws -> Response {
        let (partner, scope) = try await PartnersController.find(req)
        let dto = try await PartnersController.service(req, scope: scope).dto(partner)
        let t = req.application.localizer.strings(WebPage.language(req))
        let names = try await ReferenceNames.load(req)
        let id = dto.id
        var fields: [Labeled] = [
            Labeled(label: t["field_full_name_public"] ?? "", value: dto.fullName),
            Labeled(label: t["field_code"] ?? "", value: dto.code ?? ""),
            Labeled(label: t["field_manager"] ?? "", value: ReferenceNames.name(dto.mainManagerId, in: names.users)),
        ]
        if names.features.isEnabled(.businessRegions) {
            fields.append(Labeled(label: t["field_region"] ?? "", value: ReferenceNames.name(dto.businessRegionId, in: names.regions)))
        }
        if names.features.isEnabled(.accessGroups) {
            fields.append(Labeled(label: t["field_access_group"] ?? "", value: ReferenceNames.name(dto.accessGroupId, in: names.groups)))
        }
        fields.append(Labeled(label: t["field_registered_on"] ?? "", value: dto.registeredOn.map(RussianFormat.date) ?? ""))
        if dto.kind == "person" {
            fields.append(Labeled(label: t["field_gender"] ?? "", value: dto.gender.map { t["gender_\($0)"] ?? $0 } ?? ""))
            fields.append(Labeled(label: t["field_birth_date"] ?? "", value: dto.birthDate.map(RussianFormat.date) ?? ""))
        }
        fields.append(Labeled(label: t["field_comment"] ?? "", value: dto.comment ?? ""))

        let visible = PartnersController.scoped(scope, on: req.db)
        var parent: NamedLink?
        if let parentID = dto.parentId, let found = try await visible.copy().filter(\.$id == parentID).first() {
            parent = NamedLink(id: parentID, name: found.name)
        }
        let children = try await visible.copy().filter(\.$parentID == id).filter(\.$deletionMark == false)
            .sort(\.$name).range(0..<100).all().map { NamedLink(id: try $0.requireID(), name: $0.name) }

        let counterparties = try await Counterparty.query(on: req.db).filter(\.$partnerID == id).sort(\.$deletionMark).sort(\.$name).all()
            .map { c in
                CounterpartyRow(id: try c.requireID(), name: c.name, legalForm: t["legal_form_\(c.legalForm.rawValue)"] ?? c.legalForm.rawValue,
                                inn: c.inn ?? "", kpp: c.kpp ?? "", isBranch: c.headCounterpartyID != nil, deletionMark: c.deletionMark)
            }
        let people = try await ContactPerson.query(on: req.db).filter(\.$partnerID == id).filter(\.$deletionMark == false)
            .sort(\.$name).all()
        let personService = ContactPersonService(db: req.db, author: ChangeAuthor(try req.user), scope: scope)
        let personRows = try await personService.dtos(people).map { p in
            PersonRow(id: p.id, name: p.name, position: p.position ?? "",
                      roles: p.roles.map { ReferenceNames.name($0, in: names.contactRoles) }.joined(separator: ", "),
                      phone: p.contacts.first { $0.type == "phone" }.map { Phone.display($0.value) } ?? "",
                      email: p.contacts.first { $0.type == "email" }?.value ?? "", former: p.until != nil)
        }
        let links = try await linkRows(of: id, scope: scope, names: names, req: req)
        let features = names.features
        let counterpartyCount = counterparties.filter { !$0.deletionMark }.count
        let body = CardBody(
            partner: dto, kind: t["kind_\(dto.kind)"] ?? dto.kind,
            flags: [(dto.isClient, "flag_client"), (dto.isSupplier, "flag_supplier"), (dto.isCompetitor, "flag_competitor"), (dto.isOther, "flag_other")]
                .filter(\.0).map { t[$0.1] ?? $0.1 },
            fields: fields.filter { !$0.value.isEmpty },
            contacts: dto.contacts.map(contactLine),
            source: try await sourceLines(dto.source, names: names, scope: scope, req: req, t),
            parent: parent, children: children, counterparties: counterparties, contactPersons: personRows, links: links,
            linkKinds: names.linkKinds.flatMap { kind in
                [FormOption(value: "\(kind.id)|out", label: kind.reverse, selected: false),
                 FormOption(value: "\(kind.id)|in", label: kind.name, selected: false)]
            },
            canEdit: try req.user.role.can(.editRecords),
            canAddCounterparty: features.isEnabled(.independentCounterparties) || counterpartyCount == 0,
            history: try await AuditPages.history(of: Partner.objectType, id: id, req: req))
        return try await WebPage.render("partner-card", titleKey: "nav_partners", page: body, for: req)
    }

    static func contactLine(_ c: ContactDTO) -> ContactLine {
        switch c.type {
        case "phone", "fax": return ContactLine(type: c.type, kind: c.kind, value: Phone.display(c.value), href: "tel:+" + Phone.normalize(c.value))
        case "email": return ContactLine(type: c.type, kind: c.kind, value: c.value, href: "mailto:" + c.value)
        case "web": return ContactLine(type: c.type, kind: c.kind, value: c.value, href: c.value.hasPrefix("http") ? c.value : "https://" + c.value)
        default: return ContactLine(type: c.type, kind: c.kind, value: c.value, href: "")
        }
    }

    /// From this partner's side a link shows what the other partner is to it.
    static func linkRows(of id: UUID, scope: AccessScope, names: ReferenceNames, req: Request) async throws -> [LinkRow] {
        let links = try await PartnerLinksController.scoped(scope, on: req.db).filter(\.$deletionMark == false)
            .group(.or) { $0.filter(\.$partnerID == id).filter(\.$linkedPartnerID == id) }.all()
        let otherIDs = links.map { $0.partnerID == id ? $0.linkedPartnerID : $0.partnerID }
        let others = Dictionary(uniqueKeysWithValues: try await Partner.query(on: req.db).filter(\.$id ~~ otherIDs).all()
            .map { (try $0.requireID(), $0.name) })
        return try links.map { link in
            let outgoing = link.partnerID == id
            let other = outgoing ? link.linkedPartnerID : link.partnerID
            let kind = names.linkKinds.first { $0.id == link.kindID }
            return LinkRow(id: try link.requireID(), role: (outgoing ? kind?.reverse : kind?.name) ?? "",
                           other: NamedLink(id: other, name: others[other] ?? ""), comment: link.comment ?? "")
        }
    }

    static func sourceLines(_ source: SourceDTO?, names: ReferenceNames, scope: AccessScope, req: Request,
                            _ t: [String: String]) async throws -> [Labeled] {
        guard let source else { return [] }
        var lines = [Labeled(label: t["field_channel"] ?? "", value: ReferenceNames.name(source.channelId, in: names.channels))]
        if let event = source.eventId, let found = try await MarketingEvent.find(event, on: req.db) {
            lines.append(Labeled(label: t["field_event"] ?? "", value: found.name))
        }
        if let referrer = source.referrerPartnerId,
           let found = try await PartnersController.scoped(scope, on: req.db).filter(\.$id == referrer).first() {
            lines.append(Labeled(label: t["field_referrer"] ?? "", value: found.name))
        }
        if let note = source.note { lines.append(Labeled(label: t["field_note"] ?? "", value: note)) }
        return lines
    }

    // MARK: form

    @Sendable static func new(req: Request) async throws -> Response {
        try req.require(.editRecords)
        return try await renderForm(req, partner: nil, form: nil, errors: [:], duplicates: [])
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, _) = try await PartnersController.find(req)
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
        do {
            let partner = try await PartnersController.service(req, scope: scope).create(input)
            return WebPage.redirect(req, to: "/partners/\(try partner.requireID())", flash: WebPage.text(req, "created", ["name": partner.name]))
        } catch let errors as FieldErrors {
            return try await renderForm(req, partner: nil, form: form, errors: FormErrors.localize(errors.fields, req), duplicates: [],
                                        status: .unprocessableEntity)
        }
    }

    @Sendable static func update(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, scope) = try await PartnersController.find(req)
        let form = try PostedForm(req)
        let features = try await SettingsStore.features(on: req.db)
        let input = PartnerFormInput.partner(from: form, features: features)
        let clearing = form.empty(["parentId", "mainManagerId", "businessRegionId", "accessGroupId"])
        var failure: [String: String]
        do {
            try await PartnersController.service(req, scope: scope).update(partner, with: input, clearing: clearing)
            return WebPage.redirect(req, to: "/partners/\(try partner.requireID())", flash: WebPage.text(req, "saved", ["name": partner.name]))
        } catch let errors as FieldErrors {
            failure = errors.fields
        } catch let error as APIError where error.status == .conflict {
            failure = ["form": WebPage.text(req, "error_version_conflict")]
        }
        let (fresh, _) = try await PartnersController.find(req)
        return try await renderForm(req, partner: fresh, form: form, errors: FormErrors.localize(failure, req), duplicates: [],
                                    status: .unprocessableEntity)
    }

    @Sendable static func markDeleted(req: Request) async throws -> Response {
        let dto = try await PartnersController.markDeleted(req: req)
        return WebPage.redirect(req, to: "/partners/\(dto.id)", flash: WebPage.text(req, "marked_deleted", ["name": dto.name]))
    }

    @Sendable static func restore(req: Request) async throws -> Response {
        let dto = try await PartnersController.restore(req: req)
        return WebPage.redirect(req, to: "/partners/\(dto.id)", flash: WebPage.text(req, "restored", ["name": dto.name]))
    }

    static func renderForm(_ req: Request, partner: Partner?, form: PostedForm?, errors: [String: String],
                           duplicates: [PartnerDuplicates.Candidate], status: HTTPStatus = .ok) async throws -> Response {
        let scope = try await req.accessScope()
        let names = try await ReferenceNames.load(req)
        let t = req.application.localizer.strings(WebPage.language(req))
        var dto: PartnerDTO?
        var counterparty: Counterparty?
        if let partner {
            let service = try PartnersController.service(req, scope: scope)
            dto = try await service.dto(partner)
            if !names.features.isEnabled(.independentCounterparties) {
                counterparty = try await service.liveCounterparties(of: partner.requireID()).first
            }
        }
        var parentName = ""
        if let parent = form?.uuid("parentId") ?? dto?.parentId,
           let found = try await PartnersController.scoped(scope, on: req.db).filter(\.$id == parent).first() {
            parentName = found.name
        }
        var referrerName = ""
        if let referrer = form?.uuid("source.referrerPartnerId") ?? dto?.source?.referrerPartnerId,
           let found = try await PartnersController.scoped(scope, on: req.db).filter(\.$id == referrer).first() {
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
            heading: dto?.name ?? (t["partner_new"] ?? ""), back: id.map { "/partners/\($0)" } ?? "/partners",
            backLabel: dto?.name ?? (t["nav_partners"] ?? ""), action: id.map { "/partners/\($0)" } ?? "/partners",
            id: id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            sections: builder.sections(), hasContacts: true, contacts: builder.contactRows(),
            contactTypes: FormFlow.contactTypes(t),
            duplicates: duplicates.map { RecordForm.DuplicateRow(id: $0.id, name: $0.name, reasons: $0.reasons.map { t["duplicate_\($0)"] ?? $0 }.joined(separator: ", ")) },
            history: [])
        return try await WebPage.render("record-form", titleKey: "nav_partners", page: page, for: req, status: status)
    }
}
