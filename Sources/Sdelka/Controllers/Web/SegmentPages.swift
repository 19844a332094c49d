import Fluent
import SdelkaCore
import Vapor

/// Segments in the web UI: the list, one form that is also the segment's card, and its members
/// (added and removed by hand for a manual list, refreshed for a periodic one).
enum SegmentPages {
    /// The form pages; this type supplies only its form and how a posted one is read.
    static let forms = RecordFormPages<SegmentService>(
        section: .segments,
        render: { req, record, form, errors, status in try await render(req, segment: record, form: form, errors: errors, status: status) },
        input: { req, form, creating in try SegmentForm.input(from: form) },
        clearable: [], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.segments.component)
        group.get(use: list)
        forms.register(on: group)
        group.get(":id", SiteAction.members.component, use: members)
        group.post(":id", SiteAction.members.component, use: addMember)
        group.post(":id", SiteAction.members.component, ":partnerId", SiteAction.remove.component, use: removeMember)
        group.post(":id", SiteAction.refresh.component, use: refresh)
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
        var params = QueryParameters(req)
        let kind = params.oneOf("kind", SegmentKind.self)
        try params.check()
        let service = try await req.service(SegmentService.self)
        let pageRequest = try PageRequest(req)
        let (total, segments) = try await pageRequest.rows(service.list(q: req.text("q"), kind: kind, includeDeleted: req.flag("includeDeleted")))
        let page = PageDTO(items: try await service.dtos(segments), total: total, page: pageRequest.page, per: pageRequest.per)
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

    static func render(_ req: Request, segment: Segment?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let (dto, history) = try await StoredRecord.load(segment, service: req.service(SegmentService.self), req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let names = try await ReferenceNames.load(req)
        var related: [RecordForm.RelatedLink] = []
        if let dto {
            related.append(.init(href: Site.segments.path(dto.id, .members), label: "\(t["segment_members"] ?? "") · \(dto.memberCount ?? 0)"))
            related.append(.init(href: Site.partners.path + "?segmentId=\(dto.id)", label: t["nav_partners"] ?? ""))
        }
        let page = RecordForm(
            heading: dto?.name ?? make.label("segment_new"), back: Site.segments.path, backLabel: make.label("nav_segments"),
            action: dto.map { Site.segments.path($0.id) } ?? Site.segments.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            sections: SegmentForm.sections(dto, make: make, names: names, t: t), hasContacts: false, contacts: [], contactTypes: [],
            duplicates: [], history: history, deleteAction: dto.map { Site.segments.path($0.id) }, related: related)
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
        let (segment, service) = try await req.record(SegmentService.self)
        let page = try await service.memberPage(segment, page: try PageRequest(req))
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
        let path = Site.segments.path(try segment.requireID(), .members)
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
        try req.require(.editRecords)
        let (segment, service) = try await req.record(SegmentService.self)
        guard let partner = req.parameters.get("partnerId", as: UUID.self) else { throw FieldErrors("partnerId", "is not a UUID") }
        try await service.remove(partner, from: segment)
        return WebPage.redirect(req, to: Site.segments.path(try req.idParameter(), .members), flash: WebPage.text(req, "segment_member_removed"))
    }

    @Sendable static func refresh(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (segment, service) = try await req.record(SegmentService.self)
        try await service.refresh(segment)
        let dto = try await service.dto(segment)
        return WebPage.redirect(req, to: Site.segments.path(dto.id, .members),
                                flash: WebPage.text(req, "segment_refreshed", ["count": String(dto.memberCount ?? 0)]))
    }
}
