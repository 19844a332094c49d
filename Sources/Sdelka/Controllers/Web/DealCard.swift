import Fluent
import SdelkaCore
import Vapor

/// The deal card: one form for the deal's fields, participants and demand; around it the
/// stage path, the actions (move, win, lose, reopen), the checklist and the stage history.
enum DealCard {
    struct Body: Encodable, Sendable {
        var heading: String
        var action: String
        var id: UUID?
        var version: Int
        var number: Int?
        var status: String?
        var statusKey: String?
        var probability: String?
        var partner: DealPages.NamedLink?
        var deletionMark: Bool
        var canEdit: Bool
        var formError: String?
        var sections: [FormSection]
        var participants: [ParticipantLine]
        var demand: [DemandRow]?
        var reasons: [FormOption]
        var path: [PathStep]
        var moves: [FormOption]
        var canOverride: Bool
        var lossReasons: [FormOption]
        var competitors: [FormOption]
        var tasks: [TaskLine]
        /// «done of all» for the checklist heading: whether the manager did everything.
        var checklistSummary: String
        var stageRows: [StageLine]
        var history: [AuditPages.Row]
        var claims: ClaimsPanel?
        /// "The client says X sells it for Y": the price form with this deal and its competitor.
        var recordPrice: String?
    }

    struct ParticipantLine: Encodable, Sendable {
        var index: Int
        var partnerId: String
        var partnerName: String
        var role: String
        var contactPersonId: String
        var contactPersonName: String
        var contactRole: String
        var wonDeal: Bool
        var error: String?
    }

    struct DemandRow: Encodable, Sendable {
        var index: Int
        var description: String
        var amount: String
        var satisfiedPercent: String
        var reasonId: String
        var error: String?
    }

    struct PathStep: Encodable, Sendable { var name: String; var state: String }
    struct TaskLine: Encodable, Sendable {
        var id: UUID; var text: String; var required: Bool; var due: String; var overdue: Bool; var done: Bool; var doneInfo: String; var stage: String
    }
    struct StageLine: Encodable, Sendable {
        var name: String; var start: String; var end: String; var days: String; var potential: String; var result: String; var resultKey: String; var override: String
    }

    static func input(from form: PostedForm, creating: Bool) -> DealInput {
        var input = DealInput()
        input.name = form.text("name") ?? ""
        input.partnerId = form.uuid("partnerId")
        if creating { input.kindId = form.uuid("kindId") }
        input.startDate = form.text("startDate").cleaned
        input.endDate = form.text("endDate")
        input.responsibleId = form.uuid("responsibleId")
        input.potentialAmount = form.text("potentialAmount").cleaned.flatMap(Money.parse)
        input.currency = form.text("currency").cleaned
        input.managerProbability = form.text("managerProbability").cleaned.flatMap { Int($0) }
        input.comment = form.text("comment")
        input.version = form.text("version").flatMap { Int($0) }
        if let channel = form.uuid("source.channelId") {
            input.source = SourceDTO(channelId: channel, eventId: form.uuid("source.eventId"), referrerPartnerId: nil, note: form.text("source.note").cleaned)
        }
        input.participants = (0..<100).compactMap { index in
            guard let partner = form.uuid("participants.\(index).partnerId") else { return nil }
            return DealParticipantDTO(partnerId: partner, role: form.text("participants.\(index).role").cleaned,
                                      contactPersonId: form.uuid("participants.\(index).contactPersonId"),
                                      contactRole: form.text("participants.\(index).contactRole").cleaned,
                                      wonDeal: form.flag("participants.\(index).wonDeal"))
        }
        if form["demand.0.description"] != nil {
            input.demand = (0..<100).compactMap { index in
                guard let text = form.text("demand.\(index).description").cleaned else { return nil }
                return DemandLineDTO(description: text, amount: form.text("demand.\(index).amount").cleaned.flatMap(Money.parse),
                                     satisfiedPercent: form.text("demand.\(index).satisfiedPercent").cleaned.flatMap { Int($0) } ?? 0,
                                     unsatisfiedReasonId: form.uuid("demand.\(index).unsatisfiedReasonId"))
            }
        }
        return input
    }

    static func render(_ req: Request, deal: Deal?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let user = try req.user
        let service = try await req.service(DealService.self)
        var dto: DealDTO?
        if let deal { dto = try await service.dto(deal) }
        let names = try await ReferenceNames.load(req)
        let make = FieldMaker(t: t, form: form, errors: errors)
        let kinds = try await DealKind.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        var kind: DealKind?
        if let dto { kind = try await DealKind.find(dto.kindId, on: req.db) }
        let partnerID = dto?.partnerId ?? form?.uuid("partnerId") ?? req.query[UUID.self, at: "partnerId"]
        var partnerName = ""
        if let partnerID { partnerName = try await Partner.names(of: [partnerID], scope: service.scope, on: req.db)[partnerID] ?? "" }
        let money = { (amount: Decimal?) in amount.map { "\($0)" } }

        var main = [
            make.field("name", "field_name", stored: dto?.name, required: true, wide: true),
            FormField(name: "partnerId", label: make.label("field_partner"), type: .lookup, value: make.value("partnerId", partnerID?.uuidString),
                      display: partnerName, lookup: Site.lookup.path(.partners), required: true).withError(errors),
        ]
        if dto == nil {
            main.append(make.select("kindId", "field_deal_kind", kinds.filter(\.allowed).map { ($0.id!.uuidString, $0.name) },
                                    stored: req.query[UUID.self, at: "kindId"]?.uuidString, blank: nil))
        }
        main += [
            make.select("responsibleId", "field_responsible", names.users.map { ($0.0.uuidString, $0.1) },
                        stored: (dto?.responsibleId ?? (dto == nil ? user.id : nil))?.uuidString),
            make.field("startDate", "field_start_date", .date, stored: dto?.startDate ?? service.today.description),
            make.field("endDate", "field_end_date", .date, stored: dto?.endDate, hint: "hint_deal_end"),
            make.field("potentialAmount", "field_potential", stored: money(dto?.potentialAmount), hint: "hint_money"),
            make.field("currency", "field_currency", stored: dto?.currency ?? "RUB"),
            make.field("managerProbability", "field_manager_probability", .number, stored: dto?.managerProbability.map(String.init)),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        var registration: SourceDTO?
        if let partnerID { registration = try await InterestSources.registration(of: [partnerID], on: req.db)[partnerID] }
        let source = dto?.source ?? (dto == nil ? registration : nil)
        var sourceFields = [make.select("source.channelId", "field_channel", names.channels.map { ($0.0.uuidString, $0.1) },
                                        stored: source?.channelId.uuidString)]
        if names.features.isEnabled(.marketingEvents) {
            let events = try await MarketingEvent.query(on: req.db).filter(\.$deletionMark == false).sort(\.$plannedStart, .descending).range(0..<200).all()
            sourceFields.append(make.select("source.eventId", "field_event", events.map { ($0.id!.uuidString, $0.name) }, stored: source?.eventId?.uuidString))
        }
        sourceFields.append(make.field("source.note", "field_source_note", stored: source?.note))

        let reasons = try await UnsatisfiedReason.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
        let usesDemand = kind?.useDemand ?? kinds.contains(where: \.useDemand)
        var body = Body(
            heading: dto.map { "№\u{00A0}\($0.number) · \($0.name)" } ?? make.label("deal_new"),
            action: dto.map { Site.deals.path($0.id) } ?? Site.deals.path, id: dto?.id, version: dto?.version ?? 0,
            number: dto?.number, status: dto.map { t["deal_status_\($0.status.rawValue)"] ?? "" }, statusKey: dto?.status.rawValue,
            probability: dto?.probability.map(RussianFormat.percent),
            partner: dto.map { DealPages.NamedLink(href: Site.partners.path($0.partnerId), label: partnerName) },
            deletionMark: dto?.deletionMark ?? false, canEdit: user.role.can(.editRecords), formError: errors["form"],
            sections: [FormSection(title: nil, fields: main), FormSection(title: make.label("section_source"), fields: sourceFields)],
            participants: try await participantLines(dto?.participants ?? [], form: form, errors: errors, req: req),
            demand: usesDemand ? demandRows(dto?.demand ?? [], form: form, errors: errors) : nil,
            reasons: FormOptions.make(reasons.map { ($0.id!.uuidString, $0.name) }, selected: nil, blank: "—"),
            path: [], moves: [], canOverride: false, lossReasons: [], competitors: [], tasks: [], checklistSummary: "", stageRows: [], history: [])
        if let deal, let dto {
            try await DealCardPanels.fill(&body, deal: deal, dto: dto, kind: kind, names: names, t: t, req: req)
        }
        return try await WebPage.render("deal-card", titleKey: "nav_deals", page: body, for: req, status: status)
    }

    static func participantLines(_ stored: [DealParticipantDTO], form: PostedForm?, errors: [String: String],
                                 req: Request) async throws -> [ParticipantLine] {
        let lines = form.map { input(from: $0, creating: false).participants ?? [] } ?? stored
        let scope = try await req.accessScope()
        let partners = try await Partner.names(of: lines.map(\.partnerId), scope: scope, on: req.db)
        let people = try await ContactPerson.names(of: lines.compactMap(\.contactPersonId), scope: scope, on: req.db)
        var rows = lines.enumerated().map { index, p in
            ParticipantLine(index: index, partnerId: p.partnerId.uuidString, partnerName: partners[p.partnerId] ?? "", role: p.role ?? "",
                            contactPersonId: p.contactPersonId?.uuidString ?? "", contactPersonName: p.contactPersonId.flatMap { people[$0] } ?? "",
                            contactRole: p.contactRole ?? "", wonDeal: p.wonDeal ?? false,
                            error: errors["participants.\(index).partnerId"] ?? errors["participants.\(index).contactPersonId"])
        }
        rows.append(ParticipantLine(index: rows.count, partnerId: "", partnerName: "", role: "", contactPersonId: "",
                                    contactPersonName: "", contactRole: "", wonDeal: false, error: nil))
        return rows
    }

    static func demandRows(_ stored: [DemandLineDTO], form: PostedForm?, errors: [String: String]) -> [DemandRow] {
        let lines = form.map { input(from: $0, creating: false).demand ?? [] } ?? stored
        var rows = lines.enumerated().map { index, line in
            DemandRow(index: index, description: line.description, amount: line.amount.map { "\($0)" } ?? "",
                      satisfiedPercent: line.satisfiedPercent.map(String.init) ?? "0", reasonId: line.unsatisfiedReasonId?.uuidString ?? "",
                      error: errors["demand.\(index).description"] ?? errors["demand.\(index).amount"]
                          ?? errors["demand.\(index).satisfiedPercent"] ?? errors["demand.\(index).unsatisfiedReasonId"] ?? errors["demand"])
        }
        rows.append(DemandRow(index: rows.count, description: "", amount: "", satisfiedPercent: "0", reasonId: "", error: nil))
        return rows
    }
}
