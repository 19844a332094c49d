import Fluent
import SdelkaCore
import Vapor

/// The partner card: details, contacts, source, holding, counterparties, contact persons, links, history.
extension PartnerPages {
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
        /// Nil when deals are switched off.
        var deals: [DealPages.Row]?
        /// The partner's timeline (its and its contact persons' interactions); nil when interactions are off.
        var interactions: [InteractionPages.Row]?
        var sales: PartnerSalesPanel
        /// Nil when every ABC/XYZ measure is switched off.
        var classification: ClassificationPanel?
        var claims: ClaimsPanel?
        var subscriptions: SubscriptionsPanel?
        var competitor: CompetitorPanel?
        var history: [AuditPages.Row]
    }

    /// The relationship stage and the last two classifications by every measure.
    struct ClassificationPanel: Encodable, Sendable {
        struct Line: Encodable, Sendable { var date: String; var measure: String; var abc: String; var xyz: String; var cv: String }
        var stage: String
        var stageKey: String
        var lines: [Line]

        static func load(partner: UUID, req: Request) async throws -> ClassificationPanel? {
            let dto = try await PartnerClassificationDTO.load(partner: partner, on: req.db)
            guard dto.stageMeasure != nil else { return nil }
            return ClassificationPanel(
                stage: WebPage.text(req, "stage_\(dto.relationshipStage.rawValue)"), stageKey: dto.relationshipStage.rawValue,
                lines: dto.lastTwoRuns.map { r in
                    Line(date: RussianFormat.date(r.date.description), measure: WebPage.text(req, "measure_\(r.measure.rawValue)"),
                         abc: r.abc.map { WebPage.text(req, "class_\($0.rawValue)") } ?? "—",
                         xyz: r.xyz.map { WebPage.text(req, "class_\($0.rawValue)") } ?? "—",
                         cv: r.xyzValue.map { RussianFormat.percent($0) } ?? "")
                })
        }
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
        let (partner, service) = try await req.record(PartnerService.self)
        let scope = service.scope
        let dto = try await req.service(PartnerService.self, scope: scope).dto(partner)
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
        if names.features.isEnabled(.segments), !dto.segmentIds.isEmpty {
            fields.append(Labeled(label: t["field_segments"] ?? "", value: dto.segmentIds.map { ReferenceNames.name($0, in: names.segments) }.joined(separator: ", ")))
        }
        if dto.kind == "person" {
            fields.append(Labeled(label: t["field_gender"] ?? "", value: dto.gender.map { t["gender_\($0)"] ?? $0 } ?? ""))
            fields.append(Labeled(label: t["field_birth_date"] ?? "", value: dto.birthDate.map(RussianFormat.date) ?? ""))
        }
        fields.append(Labeled(label: t["field_comment"] ?? "", value: dto.comment ?? ""))

        let visible = PartnerQueries.scoped(scope, on: req.db)
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
            deals: features.isEnabled(.deals) ? try await dealRows(of: id, names: names, scope: scope, req: req, t) : nil,
            interactions: features.isEnabled(.interactions) ? try await timeline(of: id, names: names, scope: scope, req: req, t) : nil,
            sales: try await PartnerSalesPanel.load(partner: id, req: req),
            classification: try await ClassificationPanel.load(partner: id, req: req),
            claims: try await ClaimsPanel.load(partner: id, scope: scope, req: req),
            subscriptions: try await SubscriptionsPanel.load(partner: partner, req: req),
            competitor: try await CompetitorPanel.load(partner: partner, scope: scope, req: req),
            history: try await AuditPages.history(of: Partner.objectType, id: id, req: req))
        return try await WebPage.render("partner-card", titleKey: "nav_partners", page: body, for: req)
    }

    /// The partner's latest deals, newest first.
    static func dealRows(of id: UUID, names: ReferenceNames, scope: AccessScope, req: Request, _ t: [String: String]) async throws -> [DealPages.Row] {
        let deals = try await DealQueries.scoped(scope, on: req.db).filter(\.$partnerID == id).filter(\.$deletionMark == false)
            .sort(\.$number, .descending).range(0..<30).all()
        let service = try await req.service(DealService.self, scope: scope)
        let dealNames = try await DealPages.Names.load(on: req.db, partnerIDs: [id], scope: scope)
        return DealPages.rows(try await service.dtos(deals), names: dealNames, users: names.users, t: t)
    }

    /// The latest 20 interactions with the partner or its contact persons.
    static func timeline(of id: UUID, names: ReferenceNames, scope: AccessScope, req: Request, _ t: [String: String]) async throws -> [InteractionPages.Row] {
        var filter = InteractionQueries.Filter(today: CalendarDate(Date(), in: req.application.sdelka.timeZone))
        filter.partnerID = id
        let found = try await InteractionQueries.query(filter, scope: scope, userID: try req.user.id, on: req.db).range(0..<20).all()
        let service = InteractionService(db: req.db, author: ChangeAuthor(try req.user), scope: scope)
        return try await InteractionPages.rows(try await service.dtos(found), req: req, names: names, t: t)
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
        let links = try await PartnerLinkService.scoped(scope, on: req.db).filter(\.$deletionMark == false)
            .group(.or) { $0.filter(\.$partnerID == id).filter(\.$linkedPartnerID == id) }.all()
        let otherIDs = links.map { $0.partnerID == id ? $0.linkedPartnerID : $0.partnerID }
        let others = try await Partner.names(of: otherIDs, scope: scope, on: req.db)
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
           let found = try await PartnerQueries.scoped(scope, on: req.db).filter(\.$id == referrer).first() {
            lines.append(Labeled(label: t["field_referrer"] ?? "", value: found.name))
        }
        if let note = source.note { lines.append(Labeled(label: t["field_note"] ?? "", value: note)) }
        return lines
    }
}
