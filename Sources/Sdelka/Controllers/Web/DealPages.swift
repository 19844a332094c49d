import Fluent
import SdelkaCore
import Vapor

/// Deals in the web UI: the list with filters, the card (form, stage path, checklist, stage
/// history, win/lose/reopen) and the kanban board; the web twin of `DealsController`.
enum DealPages {
    /// The form pages; this type supplies only its form and how a posted one is read.
    static let forms = RecordFormPages<DealService>(
        section: .deals,
        render: { req, record, form, errors, status in try await DealCard.render(req, deal: record, form: form, errors: errors, status: status) },
        input: { req, form, creating in DealCard.input(from: form, creating: creating) },
        clearable: ["responsibleId", "potentialAmount", "managerProbability", "endDate", "comment"], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.deals.component)
        group.get(use: list)
        // The board, stage moves and checklist tasks are the `dealStages` part, as in the API.
        let staged = group.feature(.dealStages)
        staged.get(SitePage.board.component, use: DealBoardPage.show)
        forms.register(on: group)
        DealActions.register(on: group, staged: staged)
    }

    /// Names a deal page shows, read once per page.
    struct Names: Sendable {
        var kinds: [DealKind]
        var stages: [UUID: DealStage]
        var partners: [UUID: String]

        static func load(on db: any Database, partnerIDs: some Sequence<UUID>, scope: AccessScope) async throws -> Names {
            let kinds = try await DealKind.query(on: db).sort(\.$name).all()
            let stages = try await DealStage.query(on: db).all()
            return Names(kinds: kinds, stages: Dictionary(uniqueKeysWithValues: stages.map { ($0.id!, $0) }),
                         partners: try await Partner.names(of: partnerIDs, scope: scope, on: db))
        }

        func kind(_ id: UUID) -> String { kinds.first { $0.id == id }?.name ?? "" }
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var number: Int
        var name: String
        var partnerId: UUID
        var partner: String
        var kind: String
        var stage: String
        var status: String
        var statusKey: String
        var potential: String
        var probability: String
        var responsible: String
        var startDate: String
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
        var boards: [NamedLink]
        /// The partner the list is narrowed to, with the link that widens it again.
        var partner: NamedLink?
        var partnerId: String
        var pager: Pager
    }

    struct NamedLink: Encodable, Sendable { var href: String; var label: String }

    static func rows(_ dtos: [DealDTO], names: Names, users: [(UUID, String)], t: [String: String]) -> [Row] {
        dtos.map { d in
            Row(id: d.id, number: d.number, name: d.name, partnerId: d.partnerId, partner: names.partners[d.partnerId] ?? "",
                kind: names.kind(d.kindId), stage: d.stageId.flatMap { names.stages[$0]?.name } ?? "",
                status: t["deal_status_\(d.status.rawValue)"] ?? d.status.rawValue, statusKey: d.status.rawValue,
                potential: d.potentialAmount.flatMap(Money.cents).map { RussianFormat.money(cents: $0) } ?? "",
                probability: d.probability.map { RussianFormat.percent($0) } ?? "",
                responsible: ReferenceNames.name(d.responsibleId, in: users), startDate: RussianFormat.date(d.startDate),
                deletionMark: d.deletionMark)
        }
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let filter = try DealQueries.filter(from: req)
        let service = try await req.service(DealService.self)
        let pageRequest = try PageRequest(req)
        let (total, deals) = try await pageRequest.rows(DealQueries.query(on: req.db, scope: service.scope, filter))
        let dtos = try await service.dtos(deals)
        let names = try await Names.load(on: req.db, partnerIDs: dtos.map(\.partnerId), scope: try await req.accessScope())
        let users = try await ReferenceNames.load(req).users
        let t = req.application.localizer.strings(WebPage.language(req))
        let any = t["filter_any"] ?? "—"
        var filters = [
            FormField(name: "kindId", label: t["field_deal_kind"] ?? "", type: .select,
                      options: ReferenceNames.options(names.kinds.filter { !$0.deletionMark }.map { ($0.id!, $0.name) }, selected: filter.kindID, blank: any)),
            FormField(name: "status", label: t["field_status"] ?? "", type: .select,
                      options: FormOptions.make(DealStatus.allCases.map { ($0.rawValue, t["deal_status_\($0.rawValue)"] ?? $0.rawValue) },
                                                selected: filter.status?.rawValue, blank: any)),
            FormField(name: "responsibleId", label: t["field_responsible"] ?? "", type: .select,
                      options: ReferenceNames.options(users, selected: filter.responsibleID, blank: any)),
        ]
        if let kind = filter.kindID, names.kinds.first(where: { $0.id == kind })?.type != .free {
            let stages = names.stages.values.filter { $0.kindID == kind }.sorted { $0.position < $1.position }
            filters.insert(FormField(name: "stageId", label: t["field_stage"] ?? "", type: .select,
                                     options: ReferenceNames.options(stages.map { ($0.id!, $0.name) }, selected: filter.stageID, blank: any)), at: 1)
        }
        var partner: NamedLink?
        if let id = filter.partnerID, let found = try await PartnerQueries.scoped(service.scope, on: req.db).filter(\.$id == id).first() {
            partner = NamedLink(href: req.link(to: Site.deals.path, dropping: ["partnerId", "page"]), label: found.name)
        }
        let staged = try await SettingsStore.features(on: req.db).isEnabled(.dealStages)
        let boards = staged ? names.kinds.filter { !$0.deletionMark && $0.type != .free }
            .map { NamedLink(href: Site.deals.path(.board) + "?kindId=\($0.id!)", label: $0.name) } : []
        let body = ListBody(items: rows(dtos, names: names, users: users, t: t), total: total, q: filter.q ?? "",
                            from: filter.from?.description ?? "", to: filter.to?.description ?? "", includeDeleted: filter.includeDeleted,
                            canEdit: try req.user.role.can(.editRecords), filters: filters, boards: boards, partner: partner,
                            partnerId: filter.partnerID?.uuidString ?? "",
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("deal-list", titleKey: "nav_deals", page: body, for: req)
    }

}
