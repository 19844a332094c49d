import Fluent
import SdelkaCore
import Vapor

/// Clients' claims in the web UI: the list with filters, and the claim's card (its form, the
/// status buttons with the outcome, the linked interactions and its history). Both go through
/// `ClaimService`, as the API does.
enum ClaimPages {
    static let forms = RecordFormPages<ClaimService>(
        section: .claims,
        render: { req, record, form, errors, status in try await ClaimCard.render(req, claim: record, form: form, errors: errors, status: status) },
        input: { _, form, creating in try ClaimCard.input(from: form, creating: creating) },
        clearable: ["counterpartyId", "contactPersonId", "amount", "causeId", "departmentId", "guiltyUserId", "responsibleId"],
        nameField: "number")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.claims.component)
        group.get(use: list)
        forms.register(on: group)
        group.post(":id", SiteAction.status.component, use: changeStatus)
        routes.get(Site.reports.component, SitePage.claims.component, use: ClaimsReportPage.show)
        routes.get(Site.reports.component, SitePage.claimsCSV.component, use: ClaimsReportPage.csv)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var number: String
        var date: String
        var partner: String
        var cause: String
        var amount: String
        var status: String
        var closed: Bool
        var responsible: String
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
        var filters: [FormField]
        var partner: DealPages.NamedLink?
        var partnerId: String
        var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        var filter = try ClaimQueries.filter(from: req)
        // The page's one status box says open, closed or one status.
        switch req.text("state") {
        case "open": filter.open = true
        case "closed": filter.open = false
        case let state?: filter.status = ClaimStatus(rawValue: state) ?? filter.status
        case nil: break
        }
        let service = try await req.service(ClaimService.self)
        let pageRequest = try PageRequest(req)
        let (total, claims) = try await pageRequest.rows(ClaimQueries.query(on: req.db, scope: service.scope, filter))
        let t = req.application.localizer.strings(WebPage.language(req))
        let names = try await ReferenceNames.load(req)
        let causes = try await ReferenceNames.catalog(ClaimCause.self, req.db)
        let partners = try await Partner.names(of: claims.map(\.partnerID), scope: service.scope, on: req.db)
        let rows = try claims.map { try row($0, partners: partners, causes: causes, users: names.users, t: t) }
        let any = t["filter_any"] ?? "—"
        let statuses = [("open", t["claim_filter_open"] ?? "open"), ("closed", t["claim_filter_closed"] ?? "closed")]
            + ClaimStatus.allCases.map { ($0.rawValue, t["claim_status_\($0.rawValue)"] ?? $0.rawValue) }
        let chosen = filter.status?.rawValue ?? filter.open.map { $0 ? "open" : "closed" }
        let filters = [
            FormField(name: "state", label: t["field_status"] ?? "", type: .select, options: FormOptions.make(statuses, selected: chosen, blank: any)),
            FormField(name: "causeId", label: t["field_claim_cause"] ?? "", type: .select,
                      options: ReferenceNames.options(causes, selected: filter.causeID, blank: any)),
            FormField(name: "responsibleId", label: t["field_responsible"] ?? "", type: .select,
                      options: ReferenceNames.options(names.users, selected: filter.responsibleID, blank: any)),
        ]
        var partner: DealPages.NamedLink?
        if let id = filter.partnerID, let name = try await Partner.names(of: [id], scope: service.scope, on: req.db)[id] {
            partner = DealPages.NamedLink(href: req.link(to: Site.claims.path, dropping: ["partnerId", "page"]), label: name)
        }
        let body = ListBody(items: rows, total: total, q: filter.q ?? "", from: filter.from?.description ?? "", to: filter.to?.description ?? "",
                            includeDeleted: filter.includeDeleted, canEdit: try req.user.role.can(.editRecords), filters: filters,
                            partner: partner, partnerId: filter.partnerID?.uuidString ?? "",
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("claim-list", titleKey: "nav_claims", page: body, for: req)
    }

    static func row(_ c: Claim, partners: [UUID: String], causes: [(UUID, String)], users: [(UUID, String)], t: [String: String]) throws -> Row {
        Row(id: try c.requireID(), number: c.number, date: RussianFormat.date(c.date), partner: partners[c.partnerID] ?? "",
            cause: ReferenceNames.name(c.causeID, in: causes), amount: c.amountCents.map { RussianFormat.money(cents: $0) } ?? "",
            status: t["claim_status_\(c.status.rawValue)"] ?? c.status.rawValue, closed: c.status.isClosed,
            responsible: ReferenceNames.name(c.responsibleID, in: users), deletionMark: c.deletionMark)
    }

    /// The card's status buttons: the next status, with the outcome when the claim closes.
    @Sendable static func changeStatus(req: Request) async throws -> Response {
        try req.require(ClaimService.editPermission)
        let (claim, service) = try await req.record(ClaimService.self)
        let form = try PostedForm(req)
        let id = try claim.requireID()
        guard let status = form.text("status").flatMap(ClaimStatus.init(rawValue:)) else {
            return WebPage.redirect(req, to: Site.claims.path(id), flash: FormErrors.flash(["status": "is required"], req))
        }
        let settled = form.text("settledAmount").cleaned
        if let settled, Money.parse(settled) == nil {
            return WebPage.redirect(req, to: Site.claims.path(id), flash: FormErrors.flash(["settledAmount": "must be a number"], req))
        }
        let input = ClaimStatusInput(status: status, result: form.text("result"), settledAmount: settled.flatMap(Money.parse),
                                     closedOn: form.text("closedOn").cleaned, version: form.text("version").flatMap { Int($0) })
        do {
            try await service.changeStatus(claim, input)
        } catch let errors as FieldErrors {
            return WebPage.redirect(req, to: Site.claims.path(id), flash: FormErrors.flash(errors.fields, req))
        } catch is VersionConflict {
            return WebPage.redirect(req, to: Site.claims.path(id), flash: WebPage.text(req, "error_version_conflict"))
        }
        let label = WebPage.text(req, "claim_status_\(status.rawValue)")
        return WebPage.redirect(req, to: Site.claims.path(id), flash: WebPage.text(req, "claim_status_changed", ["name": claim.number, "status": label]))
    }
}
