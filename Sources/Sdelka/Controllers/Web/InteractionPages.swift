import Fluent
import SdelkaCore
import Vapor

/// The interactions workplace (Рабочее место): the journal with its filters, actions on the
/// rows ticked, one form per kind that is also the interaction's card, and quick replies.
enum InteractionPages {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.interactions.component)
        group.get(use: list)
        group.post(SitePage.bulk.component, use: bulk)
        group.get(SitePage.caller.component, use: caller)
        group.get(SitePage.unknownSenders.component, use: unknownSenders)
        group.post(SitePage.unknownSenders.component, SitePage.link.component, use: linkSender)
        group.get(SitePage.new.component, use: new)
        group.post(use: create)
        group.get(":id", use: edit)
        group.post(":id", use: update)
        RecordPageActions<InteractionService>.register(on: group) { Site.interactions.path($0) }
        group.get(":id", SiteAction.attachments.component, ":attachmentId", use: attachment)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var type: String
        var typeKey: String
        var topic: String
        var partner: String
        var partnerId: UUID?
        var when: String
        var responsible: String
        var reviewed: Bool
        var reviewAfter: String
        var high: Bool
        var chain: String
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var total: Int
        var q: String
        var from: String
        var to: String
        var reviewDue: Bool
        var filters: [FormField]
        var hidden: [HiddenField]
        var kinds: [FormOption]
        var users: [FormOption]
        var canEdit: Bool
        var back: String
        var pager: Pager
    }

    static func rows(_ dtos: [InteractionDTO], req: Request, names: ReferenceNames, t: [String: String]) async throws -> [Row] {
        let partners = try await Partner.names(of: dtos.compactMap(\.partnerId), scope: try await req.accessScope(), on: req.db)
        let zone = req.application.sdelka.timeZone
        return dtos.map { i in
            Row(id: i.id, type: t["interaction_type_\(i.type.rawValue)"] ?? i.type.rawValue, typeKey: i.type.rawValue, topic: i.topic,
                partner: i.partnerId.flatMap { partners[$0] } ?? "", partnerId: i.partnerId,
                when: RussianFormat.dateTime(i.occurredAt, zone: zone), responsible: ReferenceNames.name(i.responsibleId, in: names.users),
                reviewed: i.reviewed, reviewAfter: i.reviewAfter.map(RussianFormat.date) ?? "", high: i.importance == .high,
                chain: i.chain.map { $0.unreviewed > 0 ? "\($0.unreviewed)" : "" } ?? "", deletionMark: i.deletionMark)
        }
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let filter = try InteractionQueries.filter(req)
        let service = try await req.service(InteractionService.self)
        let pageRequest = try PageRequest(req)
        let (total, found) = try await pageRequest.rows(InteractionQueries.query(filter, scope: service.scope, userID: service.author.userID, on: req.db))
        let names = try await ReferenceNames.load(req)
        let t = req.application.localizer.strings(WebPage.language(req))
        let any = t["filter_any"] ?? "—"
        let kinds = Interaction.Kind.allCases.map { ($0.rawValue, t["interaction_type_\($0.rawValue)"] ?? $0.rawValue) }
        let filters = [
            FormField(name: "reviewed", label: t["field_reviewed"] ?? "", type: .select,
                      options: FormOptions.make([("false", t["not_reviewed"] ?? ""), ("true", t["reviewed"] ?? "")],
                                                selected: filter.reviewed.map { $0 ? "true" : "false" }, blank: any)),
            FormField(name: "type", label: t["field_interaction_type"] ?? "", type: .select,
                      options: FormOptions.make(kinds, selected: filter.type?.rawValue, blank: any)),
            FormField(name: "responsibleId", label: t["field_responsible"] ?? "", type: .select,
                      options: ReferenceNames.options(names.users, selected: filter.responsibleID, blank: any)),
        ]
        // Filters the form does not show (a partner's or a subject's journal) ride along.
        var hidden: [HiddenField] = []
        for name in ["partnerId", "contactPersonId", "subjectType", "subjectId"] {
            if let value = req.text(name) { hidden.append(HiddenField(name: name, value: value)) }
        }
        let body = ListBody(
            items: try await rows(try await service.dtos(found), req: req, names: names, t: t), total: total, q: filter.q ?? "",
            from: req.text("from") ?? "", to: req.text("to") ?? "", reviewDue: filter.reviewDue, filters: filters, hidden: hidden,
            kinds: FormOptions.make(kinds, selected: nil), users: FormOptions.make(names.users.map { ($0.0.uuidString, $0.1) }, selected: nil),
            canEdit: try req.user.role.can(.editRecords), back: req.url.string,
            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("interactions", titleKey: "nav_interactions", page: body, for: req)
    }

    /// The bar above the list: one action on the rows ticked (`ids.<uuid>=true`).
    @Sendable static func bulk(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let form = try PostedForm(req)
        let back = LocalPath.checked(form.text("back")).flatMap { $0.hasPrefix(Site.interactions.path) ? $0 : nil } ?? Site.interactions.path
        let ids = form.chosen("ids").compactMap(UUID.init(uuidString:))
        guard !ids.isEmpty, let action = form.text("action").flatMap(InteractionBulkInput.Action.init(rawValue:)) else {
            return WebPage.redirect(req, to: back, flash: WebPage.text(req, "bulk_choose"))
        }
        let body = InteractionBulkInput(ids: ids, action: action, reviewAfter: form.text("reviewAfter").cleaned,
                                                    subject: form.uuid("subjectId").map { InteractionSubjectDTO(type: .interaction, id: $0) },
                                                    responsibleId: form.uuid("responsibleId"))
        do {
            let count = try await req.service(InteractionService.self).bulk(body)
            return WebPage.redirect(req, to: back, flash: WebPage.text(req, "bulk_done", ["count": String(count)]))
        } catch {
            guard let failure = APIError(answering: error), failure.fields != nil else { throw error }
            return WebPage.redirect(req, to: back, flash: FormErrors.flash(failure.fields ?? [:], req))
        }
    }

    struct CallerBody: Encodable, Sendable {
        var phone: String
        var found: CallerDTO?
        var canEdit: Bool
        var newPartnerHref: String
    }

    /// «Входящий звонок»: who has this number; a call is registered against one of them, or an
    /// unknown caller becomes a new partner (with where they came from).
    @Sendable static func caller(req: Request) async throws -> Response {
        var found: CallerDTO?
        if let phone = req.text("phone"), Phone.normalize(phone).count >= 5 {
            found = try await CallerDTO.find(phone, scope: try await req.accessScope(), on: req.db)
        }
        var link = URLComponents(string: Site.partners.new)!
        link.queryItems = [URLQueryItem(name: "phone", value: req.text("phone") ?? "")]
        let body = CallerBody(phone: req.text("phone") ?? "", found: found, canEdit: try req.user.role.can(.editRecords),
                              newPartnerHref: link.string ?? Site.partners.new)
        return try await WebPage.render("caller", titleKey: "incoming_call", page: body, for: req)
    }

    struct SendersBody: Encodable, Sendable {
        struct Row: Encodable, Sendable {
            var address: String
            var name: String
            var letters: Int
            var last: String
            var topic: String
            var newPartnerHref: String
            var lettersHref: String
        }
        var items: [Row]
        var total: Int
        var canEdit: Bool
        var pager: Pager
    }

    /// «Неизвестные отправители»: letters from addresses nobody has; each sender is registered
    /// as a new partner (the form prefilled, the letters follow) or attached to one.
    @Sendable static func unknownSenders(req: Request) async throws -> Response {
        let page = try PageRequest(req)
        let found = try await UnknownSenders.list(page: page, scope: try await req.accessScope(), userID: try req.user.id, on: req.db)
        let zone = req.application.sdelka.timeZone
        let rows = found.items.map { sender in
            var link = URLComponents(string: Site.partners.new)!
            link.queryItems = [URLQueryItem(name: "email", value: sender.address), URLQueryItem(name: "name", value: sender.name ?? "")]
            var letters = URLComponents(string: Site.interactions.path)!
            letters.queryItems = [URLQueryItem(name: "type", value: "email"), URLQueryItem(name: "q", value: sender.address)]
            return SendersBody.Row(address: sender.address, name: sender.name ?? "", letters: sender.letters, last: RussianFormat.dateTime(sender.lastAt, zone: zone),
                                   topic: sender.lastTopic, newPartnerHref: link.string ?? Site.partners.new, lettersHref: letters.string ?? Site.interactions.path)
        }
        let body = SendersBody(items: rows, total: found.total, canEdit: try req.user.role.can(.editRecords),
                               pager: Pager(req, page: page.page, per: page.per, total: found.total))
        return try await WebPage.render("unknown-senders", titleKey: "unknown_senders", page: body, for: req)
    }

    /// Attaches a sender's letters to the partner chosen in the row's look-up.
    @Sendable static func linkSender(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let form = try PostedForm(req)
        let back = Site.interactions.path(.unknownSenders)
        guard let address = form.text("address").cleaned, let partner = form.uuid("partnerId") else {
            return WebPage.redirect(req, to: back, flash: WebPage.text(req, "unknown_sender_choose_partner"))
        }
        do {
            let count = try await UnknownSenders.link(.init(address: address, partnerId: partner, contactPersonId: nil),
                                                      service: try await req.service(InteractionService.self))
            return WebPage.redirect(req, to: Site.partners.path(partner), flash: WebPage.text(req, "unknown_sender_linked", ["count": String(count)]))
        } catch {
            guard let failure = APIError(answering: error), failure.fields != nil else { throw error }
            return WebPage.redirect(req, to: back, flash: FormErrors.flash(failure.fields ?? [:], req))
        }
    }

    /// The file offered for download under its own name, as the API offers it.
    @Sendable static func attachment(req: Request) async throws -> Response {
        let file = try await req.service(InteractionService.self).attachment(req.idParameter("attachmentId"), of: req.idParameter())
        return AttachmentResponse.make(filename: file.filename, contentType: file.contentType, data: file.data)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.require(.editRecords)
        return try await render(req, interaction: nil, form: nil, errors: [:])
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        let service = try await req.service(InteractionService.self)
        return try await render(req, interaction: try await service.find(try req.idParameter()), form: nil, errors: [:])
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let form = try PostedForm(req)
        let service = try await req.service(InteractionService.self)
        let type = form.text("type").flatMap(Interaction.Kind.init(rawValue:)) ?? .meeting
        return try await FormFlow.save(req, flashKey: "created", name: form.text("topic") ?? "", write: {
            let input = try InteractionForm.input(from: form, type: type, stored: nil, zone: req.application.sdelka.timeZone)
            return Site.interactions.path(try await service.create(input).requireID())
        }, rerender: { try await render(req, interaction: nil, form: form, errors: $0, status: .unprocessableEntity) })
    }

    @Sendable static func update(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let service = try await req.service(InteractionService.self)
        let interaction = try await service.find(try req.idParameter())
        let form = try PostedForm(req)
        let stored = try await service.dto(interaction)
        return try await FormFlow.save(req, flashKey: "saved", name: form.text("topic") ?? "", write: {
            let input = try InteractionForm.input(from: form, type: interaction.type, stored: stored, zone: req.application.sdelka.timeZone)
            try await service.update(interaction, with: input)
            return Site.interactions.path(stored.id)
        }, rerender: { errors in
            try await render(req, interaction: try await service.find(stored.id), form: form, errors: errors, status: .unprocessableEntity)
        })
    }

    /// A new one takes `type`, and `partnerId` or `basisId` (a quick reply: the basis's
    /// partner, contact person and topic) from the query.
    static func render(_ req: Request, interaction: Interaction?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(InteractionService.self)
        let zone = req.application.sdelka.timeZone
        var dto: InteractionDTO?
        var history: [AuditPages.Row] = []
        var hidden: [HiddenField] = []
        var prefill = form
        var type = form?.text("type").flatMap(Interaction.Kind.init(rawValue:)) ?? req.text("type").flatMap(Interaction.Kind.init(rawValue:)) ?? .meeting
        if let interaction {
            let stored = try await service.dto(interaction)
            dto = stored
            type = stored.type
            history = try await AuditPages.history(of: Interaction.objectType, id: stored.id, req: req)
        } else {
            hidden.append(HiddenField(name: "type", value: type.rawValue))
            if let basisID = form?.uuid("basisId") ?? req.text("basisId").flatMap(UUID.init(uuidString:)) {
                hidden.append(HiddenField(name: "basisId", value: basisID.uuidString))
                if var basis = try? await service.dto(try await service.find(basisID)) {
                    basis.topic = basis.topic.hasPrefix("Re: ") ? basis.topic : "Re: " + basis.topic
                    basis.description = nil
                    basis.responsibleId = try req.user.id
                    dto = basis
                }
            } else if form == nil, let partner = req.text("partnerId") {
                // Opened from a partner card or an incoming call: what is known is filled in,
                // the way the partner form is prefilled for an unknown caller.
                prefill = PostedForm(values: ["partnerId": partner, "contactPersonId": req.text("contactPersonId") ?? "",
                                              "phone": req.text("phone") ?? "", "incoming": req.text("incoming") ?? "",
                                              "importance": Interaction.Importance.normal.rawValue,
                                              "responsibleId": try req.user.id.uuidString])
            }
        }
        let names = try await ReferenceNames.load(req)
        let make = FieldMaker(t: t, form: prefill, errors: errors)
        let first = dto?.participants.first
        var partnerName = "", personName = ""
        if let id = prefill?.uuid("partnerId") ?? first?.partnerId { partnerName = try await Partner.names(of: [id], scope: service.scope, on: req.db)[id] ?? "" }
        if let id = prefill?.uuid("contactPersonId") ?? first?.contactPersonId { personName = try await ContactPerson.names(of: [id], scope: service.scope, on: req.db)[id] ?? "" }
        let saved = interaction != nil ? dto : nil
        var related: [RecordForm.RelatedLink] = []
        if let saved {
            related.append(.init(href: Site.interactions.new + "?type=\(saved.type == .meeting || saved.type == .planned ? "call" : saved.type.rawValue)&basisId=\(saved.id)",
                                 label: t["action_reply"] ?? ""))
            related.append(.init(href: Site.interactions.path + "?subjectType=\(saved.subject.type.rawValue)&subjectId=\(saved.subject.id)",
                                 label: "\(t["interaction_chain"] ?? "") · \(saved.chain?.unreviewed ?? 0)"))
            for file in saved.attachments ?? [] {
                related.append(.init(href: Site.interactions.path(saved.id, .attachments) + "/\(file.id)", label: "📎 \(file.filename) · \(RussianFormat.fileSize(file.size))"))
            }
        }
        let page = RecordForm(
            heading: saved?.topic ?? (t["interaction_new_\(type.rawValue)"] ?? ""), back: Site.interactions.path, backLabel: make.label("nav_interactions"),
            action: saved.map { Site.interactions.path($0.id) } ?? Site.interactions.path,
            id: saved?.id, version: saved?.version ?? 0, deletionMark: saved?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            sections: InteractionForm.fields(type, dto: dto, make: make, names: names, display: (partnerName, personName), zone: zone, t: t,
                                             canSend: req.application.sdelka.smtp != nil),
            hasContacts: false, contacts: [], contactTypes: [], duplicates: [], history: history, hidden: hidden,
            deleteAction: saved.map { Site.interactions.path($0.id) }, related: related, multipart: type == .email)
        return try await WebPage.render("record-form", titleKey: "nav_interactions", page: page, for: req, status: status)
    }
}
