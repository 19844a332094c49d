import Fluent
import SdelkaCore
import Vapor

/// «Досье партнера»: the client on one printable page — details and contacts, counterparties,
/// contact persons, open deals, sales over two years as columns, and the last two ABC/XYZ results.
enum DossierPage {
    struct Person: Encodable, Sendable { var name: String; var position: String; var contacts: [PartnerPages.ContactLine] }
    struct Company: Encodable, Sendable { var name: String; var numbers: String }

    struct Body: Encodable, Sendable {
        var id: UUID
        var name: String
        var fields: [PartnerPages.Labeled]
        var contacts: [PartnerPages.ContactLine]
        var counterparties: [Company]
        var people: [Person]
        var deals: [DealPages.Row]?
        var interactions: [InteractionPages.Row]?
        var sales: PartnerSalesPanel
        var classification: PartnerPages.ClassificationPanel?
        var exportHref: String
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.partners.component, ":id", SiteAction.dossier.component, use: show)
        routes.get(Site.partners.component, ":id", SiteAction.dossierCSV.component, use: csv)
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (partner, service) = try await req.record(PartnerService.self)
        let scope = service.scope
        let dossier = try await PartnerDossierDTO.load(partner, reader: ChangeAuthor(try req.user), scope: scope, zone: req.application.sdelka.timeZone, on: req.db)
        let t = req.application.localizer.strings(WebPage.language(req))
        let names = try await ReferenceNames.load(req)
        let p = dossier.partner
        var fields = [PartnerPages.Labeled(label: t["field_full_name_public"] ?? "", value: p.fullName),
                      PartnerPages.Labeled(label: t["field_manager"] ?? "", value: ReferenceNames.name(p.mainManagerId, in: names.users))]
        if names.features.isEnabled(.businessRegions) {
            fields.append(.init(label: t["field_region"] ?? "", value: ReferenceNames.name(p.businessRegionId, in: names.regions)))
        }
        if let source = p.source {
            fields.append(.init(label: t["field_source"] ?? "", value: ReferenceNames.name(source.channelId, in: names.channels)))
        }
        if let claims = dossier.claims, claims.count > 0 {
            let share = claims.satisfiedShare.map { "\($0)".replacingOccurrences(of: ".", with: ",") + " %" } ?? "—"
            fields.append(.init(label: t["panel_claims"] ?? "", value: "\(claims.count) (\(t["claim_filter_open"] ?? "") \(claims.open)), "
                                + "\(t["claims_satisfied_share"] ?? "") \(share)"))
        }
        var deals: [DealPages.Row]?
        if let open = dossier.openDeals {
            let dealNames = try await DealPages.Names.load(on: req.db, partnerIDs: [p.id], scope: scope)
            deals = DealPages.rows(open, names: dealNames, users: names.users, t: t)
        }
        var interactions: [InteractionPages.Row]?
        if let last = dossier.lastInteractions { interactions = try await InteractionPages.rows(last, req: req, names: names, t: t) }
        let body = Body(
            id: p.id, name: p.name, fields: fields.filter { !$0.value.isEmpty }, contacts: p.contacts.map(PartnerPages.contactLine),
            counterparties: dossier.counterparties.map { c in
                Company(name: c.name, numbers: [c.inn.map { "ИНН \($0)" }, c.kpp.map { "КПП \($0)" }].compactMap { $0 }.joined(separator: ", "))
            },
            people: dossier.contactPersons.map { Person(name: $0.name, position: $0.position ?? "", contacts: $0.contacts.map(PartnerPages.contactLine)) },
            deals: deals, interactions: interactions,
            sales: try await PartnerSalesPanel.load(partner: p.id, req: req),
            classification: try await PartnerPages.ClassificationPanel.load(partner: p.id, req: req),
            exportHref: Site.partners.path(p.id, .dossierCSV))
        return try await WebPage.render("dossier", titleKey: "report_dossier", page: body, for: req)
    }

    @Sendable static func csv(req: Request) async throws -> Response {
        let (partner, service) = try await req.record(PartnerService.self)
        let scope = service.scope
        let dossier = try await PartnerDossierDTO.load(partner, reader: ChangeAuthor(try req.user), scope: scope, zone: req.application.sdelka.timeZone, on: req.db)
        return try await ReportFormat.respond(req, dossier, csv: true, table: PartnerDossierDTO.table)
    }
}
