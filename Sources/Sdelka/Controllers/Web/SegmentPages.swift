import Fluent
import SdelkaCore
import Vapor

/// Segments in the web UI: the list, one form that is also the segment's card, and its members
/// (added and removed by hand for a manual list, refreshed for a periodic one).
enum SegmentPages {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("segments")
        group.get(use: list)
        group.get("new", use: new)
        group.post(use: create)
        group.get(":id", use: edit)
        group.post(":id", use: update)
        RecordPageActions<SegmentService>.register(on: group) { "/segments/\($0)" }
        group.get(":id", "members", use: members)
        group.post(":id", "members", use: addMember)
        group.post(":id", "members", ":partnerId", "remove", use: removeMember)
        group.post(":id", "refresh", use: refresh)
    }

    struct Row: Encodable, Sendable {
        var id: UUID
        var name: String
        var kind: String
        var stopList: Bool
        var members: Int
        var refreshedAt: String
        var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var total: Int
        var q: String
        var canEdit: Bool
        var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let page = try await SegmentsController.index(req: req)
        let t = req.application.localizer.strings(WebPage.language(req))
        let rows = page.items.map { s in
            Row(id: s.id, name: s.name, kind: t["segment_kind_\(s.kind.rawValue)"] ?? s.kind.rawValue, stopList: s.stopList,
                members: s.memberCount ?? 0, refreshedAt: s.refreshedAt.map { RussianFormat.dateTime($0, zone: req.application.sdelka.timeZone) } ?? "",
                deletionMark: s.deletionMark)
        }
        let body = ListBody(items: rows, total: page.total, q: req.text("q") ?? "", canEdit: try req.user.role.can(.editRecords),
                            pager: Pager(req, page: page.page, per: page.per, total: page.total))
        return try await WebPage.render("segment-list", titleKey: "nav_segments", page: body, for: req)
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try req.require(.editRecords)
        return try await render(req, segment: nil, form: nil, errors: [:])
    }

    @Sendable static func edit(req: Request) async throws -> Response {
        try await render(req, segment: try await req.record(SegmentService.self).0, form: nil, errors: [:])
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let form = try PostedForm(req)
        let service = try await req.service(SegmentService.self)
        return try await FormFlow.save(req, flashKey: "created", name: form.text("name") ?? "",
                                       write: { "/segments/\(try await service.create(try SegmentForm.input(from: form)).requireID())" },
                                       rerender: { try await render(req, segment: nil, form: form, errors: $0, status: .unprocessableEntity) })
    }

    @Sendable static func update(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let segment = try await req.record(SegmentService.self).0
        let form = try PostedForm(req)
        let service = try await req.service(SegmentService.self)
        let id = try segment.requireID()
        return try await FormFlow.save(req, flashKey: "saved", name: form.text("name") ?? "",
                                       write: { try await service.update(segment, with: try SegmentForm.input(from: form)); return "/segments/\(id)" },
                                       rerender: { errors in
            try await render(req, segment: try await req.record(SegmentService.self).0, form: form, errors: errors, status: .unprocessableEntity)
        })
    }

    static func render(_ req: Request, segment: Segment?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        var dto: SegmentDTO?
        var history: [AuditPages.Row] = []
        if let segment {
            let stored = try await req.service(SegmentService.self).dto(segment)
            dto = stored
            history = try await AuditPages.history(of: Segment.objectType, id: stored.id, req: req)
        }
        let make = FieldMaker(t: t, form: form, errors: errors)
        let names = try await ReferenceNames.load(req)
        var related: [RecordForm.RelatedLink] = []
        if let dto {
            related.append(.init(href: "/segments/\(dto.id)/members", label: "\(t["segment_members"] ?? "") · \(dto.memberCount ?? 0)"))
            related.append(.init(href: "/partners?segmentId=\(dto.id)", label: t["nav_partners"] ?? ""))
        }
        let page = RecordForm(
            heading: dto?.name ?? make.label("segment_new"), back: "/segments", backLabel: make.label("nav_segments"),
            action: dto.map { "/segments/\($0.id)" } ?? "/segments",
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            sections: SegmentForm.sections(dto, make: make, names: names, t: t), hasContacts: false, contacts: [], contactTypes: [],
            duplicates: [], history: history, deleteAction: dto.map { "/segments/\($0.id)" }, related: related)
        return try await WebPage.render("record-form", titleKey: "nav_segments", page: page, for: req, status: status)
    }
}

extension SegmentPages {
    struct MembersBody: Encodable, Sendable {
        var id: UUID
        var name: String
        var kind: String
        var manual: Bool
        var periodic: Bool
        var refreshedAt: String
        var canEdit: Bool
        var items: [SegmentMemberDTO]
        var total: Int
        var pager: Pager
    }

    @Sendable static func members(req: Request) async throws -> Response {
        let segment = try await req.record(SegmentService.self).0
        let page = try await SegmentsController.members(req: req)
        let t = req.application.localizer.strings(WebPage.language(req))
        let body = MembersBody(
            id: try segment.requireID(), name: segment.name, kind: t["segment_kind_\(segment.kind.rawValue)"] ?? segment.kind.rawValue,
            manual: segment.kind == .manual, periodic: segment.kind == .periodic,
            refreshedAt: segment.refreshedAt.map { RussianFormat.dateTime($0, zone: req.application.sdelka.timeZone) } ?? "",
            canEdit: try req.user.role.can(.editRecords), items: page.items, total: page.total,
            pager: Pager(req, page: page.page, per: page.per, total: page.total))
        return try await WebPage.render("segment-members", titleKey: "segment_members", page: body, for: req)
    }

    @Sendable static func addMember(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let segment = try await req.record(SegmentService.self).0
        let form = try PostedForm(req)
        let path = "/segments/\(try segment.requireID())/members"
        guard let partner = form.uuid("partnerId") else { return WebPage.redirect(req, to: path, flash: WebPage.text(req, "segment_choose_partner")) }
        do {
            try await req.service(SegmentService.self).add([partner], to: segment)
        } catch let error as FieldErrors {
            return WebPage.redirect(req, to: path, flash: FormErrors.flash(error.fields, req))
        } catch {
            guard let failure = APIError(answering: error), failure.fields != nil else { throw error }
            return WebPage.redirect(req, to: path, flash: FormErrors.flash(failure.fields ?? [:], req))
        }
        return WebPage.redirect(req, to: path, flash: WebPage.text(req, "segment_member_added"))
    }

    @Sendable static func removeMember(req: Request) async throws -> Response {
        _ = try await SegmentsController.removeMember(req: req)
        return WebPage.redirect(req, to: "/segments/\(try req.idParameter())/members", flash: WebPage.text(req, "segment_member_removed"))
    }

    @Sendable static func refresh(req: Request) async throws -> Response {
        let dto = try await SegmentsController.refresh(req: req)
        return WebPage.redirect(req, to: "/segments/\(dto.id)/members",
                                flash: WebPage.text(req, "segment_refreshed", ["count": String(dto.memberCount ?? 0)]))
    }
}
