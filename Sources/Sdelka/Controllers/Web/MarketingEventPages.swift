import Fluent
import SdelkaCore
import Vapor

/// Marketing events: a list with filters and one form that is also the event's card
/// (participants, money, history); the web twin of `MarketingEventsController`.
enum MarketingEventPages {
    /// The form pages; this type supplies only its form and how a posted one is read.
    static let forms = RecordFormPages<MarketingEventService>(
        section: .marketingEvents,
        render: { req, record, form, errors, status in try await render(req, event: record, form: form, errors: errors, status: status) },
        input: { req, form, creating in input(from: form) },
        clearable: [], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.marketingEvents.component)
        group.get(use: list)
        forms.register(on: group)
        routes.get(Site.lookup.component, SitePage.contactPersons.component, use: lookupPeople)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var name: String
        var kind: String
        var channel: String
        var period: String
        var responsible: String
        var participants: Int
        var attended: Int
        var budget: String
        var actualCost: String
        var finished: Bool
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
        var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let filter = try MarketingEventQueries.filter(from: req)
        let pageRequest = try PageRequest(req)
        let (total, events) = try await pageRequest.rows(MarketingEventQueries.query(on: req.db, filter))
        let service = try await req.service(MarketingEventService.self)
        let dtos = try await service.dtos(events)
        let names = try await ReferenceNames.load(req)
        let t = req.application.localizer.strings(WebPage.language(req))
        let rows = dtos.map { e in
            Row(id: e.id, name: e.name, kind: e.kind ?? "", channel: ReferenceNames.name(e.channelId, in: names.channels),
                period: period(e.plannedStart, e.plannedEnd), responsible: ReferenceNames.name(e.responsibleId, in: names.users),
                participants: e.participants.count, attended: e.participants.filter(\.attended).count,
                budget: e.budget.flatMap(Money.cents).map { RussianFormat.money(cents: $0) } ?? "",
                actualCost: e.actualCost.flatMap(Money.cents).map { RussianFormat.money(cents: $0) } ?? "",
                finished: e.finished, deletionMark: e.deletionMark)
        }
        let any = t["filter_any"] ?? "—"
        let filters = [
            FormField(name: "channelId", label: t["field_channel"] ?? "", type: .select,
                      options: ReferenceNames.options(names.channels, selected: filter.channelID, blank: any)),
            FormField(name: "responsibleId", label: t["field_responsible"] ?? "", type: .select,
                      options: ReferenceNames.options(names.users, selected: filter.responsibleID, blank: any)),
            FormField(name: "finished", label: t["field_finished"] ?? "", type: .select,
                      options: FormOptions.make([("true", t["yes"] ?? ""), ("false", t["no"] ?? "")],
                                                selected: filter.finished.map { $0 ? "true" : "false" }, blank: any)),
        ]
        let body = ListBody(items: rows, total: total, q: filter.q ?? "", from: filter.from?.description ?? "",
                            to: filter.to?.description ?? "", includeDeleted: filter.includeDeleted,
                            canEdit: try req.user.role.can(.editRecords), filters: filters,
                            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("event-list", titleKey: "nav_events", page: body, for: req)
    }

    static func period(_ start: String, _ end: String) -> String {
        start == end ? RussianFormat.date(start) : RussianFormat.date(start) + " – " + RussianFormat.date(end)
    }

    /// `GET /lookup/contact-persons?q=`: "name (partner)", through the partner's access group.
    @Sendable static func lookupPeople(req: Request) async throws -> [PartnerPages.LookupItem] {
        guard let q = req.text("q"), q.count >= 2 else { return [] }
        let scope = try await req.accessScope()
        let query = ContactPersonQueries.scoped(scope, on: req.db)
            .filter(\.$deletionMark == false).filter(\.$searchText ~~ SearchText.normalize(q)).sort(\.$name).range(0..<20)
        let people = try await query.all()
        let partners = try await Partner.names(of: people.map(\.partnerID), scope: scope, on: req.db)
        return try people.map { PartnerPages.LookupItem(id: try $0.requireID(), label: "\($0.name) (\(partners[$0.partnerID] ?? ""))") }
    }

    static func input(from form: PostedForm) -> MarketingEventInput {
        var input = MarketingEventInput()
        input.name = form.text("name") ?? ""
        input.kind = form.text("kind")
        input.channelId = form.uuid("channelId")
        input.plannedStart = form.text("plannedStart") ?? ""
        input.plannedEnd = form.text("plannedEnd") ?? ""
        input.actualStart = form.text("actualStart")
        input.actualEnd = form.text("actualEnd")
        input.responsibleId = form.uuid("responsibleId")
        input.targetSegmentId = form.uuid("targetSegmentId")
        input.finished = form.flag("finished")
        input.budget = form.text("budget").flatMap { $0.cleaned }.flatMap(Money.parse)
        input.actualCost = form.text("actualCost").flatMap { $0.cleaned }.flatMap(Money.parse)
        input.comment = form.text("comment")
        input.version = form.text("version").flatMap { Int($0) }
        input.participants = (0..<200).compactMap { index in
            guard let partner = form.uuid("participants.\(index).partnerId") else { return nil }
            return EventParticipantDTO(partnerId: partner, contactPersonId: form.uuid("participants.\(index).contactPersonId"),
                                       role: form.text("participants.\(index).role").cleaned,
                                       invited: form.flag("participants.\(index).invited"), attended: form.flag("participants.\(index).attended"))
        }
        return input
    }

    static func render(_ req: Request, event: MarketingEvent?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(MarketingEventService.self)
        let (dto, history) = try await StoredRecord.load(event, service: service, req: req).pair
        let names = try await ReferenceNames.load(req)
        let make = FieldMaker(t: t, form: form, errors: errors)
        let money = { (amount: Decimal?) in amount.map { "\($0)" } }
        let first = [
            make.field("name", "field_name", stored: dto?.name, required: true),
            make.field("kind", "field_event_kind", stored: dto?.kind, hint: "hint_event_kind"),
            make.select("channelId", "field_channel", names.channels.map { ($0.0.uuidString, $0.1) }, stored: dto?.channelId?.uuidString),
            make.select("responsibleId", "field_responsible", names.users.map { ($0.0.uuidString, $0.1) }, stored: dto?.responsibleId?.uuidString),
        ]
        var more = [
            make.field("plannedStart", "field_planned_start", .date, stored: dto?.plannedStart, required: true),
            make.field("plannedEnd", "field_planned_end", .date, stored: dto?.plannedEnd, required: true),
            make.field("actualStart", "field_actual_start", .date, stored: dto?.actualStart),
            make.field("actualEnd", "field_actual_end", .date, stored: dto?.actualEnd),
            make.field("budget", "field_budget", stored: money(dto?.budget), hint: "hint_money"),
            make.field("actualCost", "field_actual_cost", stored: money(dto?.actualCost), hint: "hint_money"),
            make.checkbox("finished", "field_finished", stored: dto?.finished),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        if names.features.isEnabled(.segments) {
            more.insert(make.select("targetSegmentId", "field_target_segment", names.segments.map { ($0.0.uuidString, $0.1) },
                                    stored: dto?.targetSegmentId?.uuidString), at: 0)
        }
        let fields = first + more
        let page = RecordForm(
            heading: dto?.name ?? make.label("event_new"), back: Site.marketingEvents.path, backLabel: make.label("nav_events"),
            action: dto.map { Site.marketingEvents.path($0.id) } ?? Site.marketingEvents.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            sections: [FormSection(title: nil, fields: fields)], hasContacts: false, contacts: [], contactTypes: [],
            duplicates: [], history: history, deleteAction: dto.map { Site.marketingEvents.path($0.id) },
            participants: try await participantRows(dto?.participants ?? [], form: form, errors: errors, req: req))
        return try await WebPage.render("record-form", titleKey: "nav_events", page: page, for: req, status: status)
    }

    /// Posted rows after an error, else the stored ones; names resolved in two queries; then blank rows.
    static func participantRows(_ stored: [EventParticipantDTO], form: PostedForm?, errors: [String: String],
                                req: Request) async throws -> [ParticipantRow] {
        let lines = form.map { input(from: $0).participants ?? [] } ?? stored
        let scope = try await req.accessScope()
        let partnerNames = try await Partner.names(of: lines.map(\.partnerId), scope: scope, on: req.db)
        let personNames = try await ContactPerson.names(of: lines.compactMap(\.contactPersonId), scope: scope, on: req.db)
        var rows = lines.enumerated().map { index, p in
            ParticipantRow(index: index, partnerId: p.partnerId.uuidString, partnerName: partnerNames[p.partnerId] ?? "",
                           contactPersonId: p.contactPersonId?.uuidString ?? "", contactPersonName: p.contactPersonId.flatMap { personNames[$0] } ?? "",
                           role: p.role ?? "", invited: p.invited, attended: p.attended,
                           error: errors["participants.\(index).partnerId"] ?? errors["participants.\(index).contactPersonId"])
        }
        for _ in 0..<2 {
            rows.append(ParticipantRow(index: rows.count, partnerId: "", partnerName: "", contactPersonId: "", contactPersonName: "",
                                       role: "", invited: true, attended: false, error: nil))
        }
        return rows
    }
}
