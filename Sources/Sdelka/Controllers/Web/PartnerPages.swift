import Fluent
import SdelkaCore
import Vapor

/// The partner list, card and form: the web twin of `PartnersController`, on the same
/// services, so the rules (access, validation, duplicates, the one-form counterparty) are one.
enum PartnerPages {
    static func register(on routes: any RoutesBuilder) {
        let partners = routes.grouped(Site.partners.component)
        partners.get(use: list)
        partners.get(SitePage.new.component, use: new)
        partners.post(use: create)
        partners.get(":id", use: card)
        partners.get(":id", SiteAction.edit.component, use: edit)
        partners.post(":id", use: update)
        RecordPageActions<PartnerService>.register(on: partners) { Site.partners.path($0) }
        partners.post(":id", SiteAction.merge.component, use: merge)
        partners.post(":id", SiteAction.subscriptions.component, use: SubscriptionsPanel.save)
        partners.post(":id", SiteAction.links.component, use: addLink)
        partners.post(":id", SiteAction.links.component, ":linkID", SiteAction.delete.component, use: removeLink)
        routes.get(Site.lookup.component, SitePage.partners.component, use: lookup)
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
        /// The CSV export of what the list shows, with the same filters.
        var exportHref: String
    }

    struct SortLink: Encodable, Sendable {
        var key: String
        var label: String
        var href: String
        var mark: String
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let scope = try await req.accessScope()
        let filter = try await PartnerQueries.filter(from: req)
        let pageRequest = try PageRequest(req)
        let (total, partners) = try await PartnerQueries.page(pageRequest, filter, scope: scope, on: req.db)
        let dtos = try await PartnerQueries.dtos(partners, on: req.db)
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
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total),
                            exportHref: req.link(to: Site.exports.path(.partnersCSV), dropping: ["sort", "page", "per"], droppingEmpty: true))
        return try await WebPage.render("partner-list", titleKey: "nav_partners", page: body, for: req)
    }

    static func filterFields(_ filter: PartnerQueries.Filter, _ names: ReferenceNames, _ t: [String: String]) -> [FormField] {
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
        if names.features.isEnabled(.segments) {
            fields.append(FormField(name: "segmentId", label: t["field_segment"] ?? "", type: .select,
                                    options: ReferenceNames.options(names.segments, selected: filter.segment?.id, blank: any)))
        }
        return fields
    }

    static func sortLinks(_ req: Request, current: PartnerQueries.Sort, _ t: [String: String]) -> [SortLink] {
        [("name", "field_name"), ("code", "field_code"), ("registeredOn", "field_registered_on")].map { key, label in
            let ascending = current.rawValue == key, descending = current.rawValue == "-" + key
            let href = req.link(to: Site.partners.path, dropping: ["sort", "page"], adding: [URLQueryItem(name: "sort", value: ascending ? "-" + key : key)])
            return SortLink(key: key, label: t[label] ?? label, href: href, mark: ascending ? "▲" : descending ? "▼" : "")
        }
    }

    /// `GET /lookup/partners?q=`: names for the partner look-up fields of forms, access-scoped.
    @Sendable static func lookup(req: Request) async throws -> [LookupItem] {
        guard let q = req.text("q"), q.count >= 2 else { return [] }
        let scope = try await req.accessScope()
        let query = PartnerQueries.query(on: req.db, scope: scope, .init(q: q))
        return try await query.range(0..<20).all().map { LookupItem(id: try $0.requireID(), label: $0.name) }
    }

    struct LookupItem: Content { var id: UUID; var label: String }

}
