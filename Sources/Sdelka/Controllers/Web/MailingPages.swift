import Fluent
import SdelkaCore
import Vapor

/// Mailings in the web UI: the list; the card (its form while a draft or paused, schedule,
/// pause, resume, cancel, the preview with who is left out and why, the figures and the
/// recipients with their messages).
enum MailingPages {
    static let forms = RecordFormPages<MailingService>(
        section: .mailings,
        render: { req, record, form, errors, status in try await MailingCard.render(req, mailing: record, form: form, errors: errors, status: status) },
        input: { req, form, _ in try await MailingForm.input(from: form, req: req) },
        clearable: ["sendAt", "validUntil", "html", "sender"], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.mailings.component)
        group.get(use: list)
        forms.register(on: group)
        group.get(":id", SiteAction.preview.component, use: MailingCard.preview)
        group.post(":id", SiteAction.schedule.component, use: schedule)
        group.post(":id", SiteAction.pause.component, use: pause)
        group.post(":id", SiteAction.resume.component, use: resume)
        group.post(":id", SiteAction.cancel.component, use: cancel)
    }

    struct Row: Encodable, Sendable {
        var id: UUID; var name: String; var mode: String; var channel: String; var status: String
        var sent: Int; var recipients: Int; var when: String; var deletionMark: Bool
    }
    struct ListBody: Encodable, Sendable {
        var items: [Row]; var canEdit: Bool; var q: String; var status: [FormOption]; var total: Int; var pager: Pager
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(MailingService.self)
        let status = req.text("status").flatMap(Mailing.Status.init(rawValue:))
        let pageRequest = try PageRequest(req)
        let (total, mailings) = try await pageRequest.rows(service.list(q: req.text("q"), status: status, mode: nil, includeDeleted: req.flag("includeDeleted")))
        let zone = req.application.sdelka.timeZone
        let rows = try await service.dtos(mailings).map { m in
            Row(id: m.id, name: m.name, mode: t["mailing_mode_\(m.mode.rawValue)"] ?? m.mode.rawValue,
                channel: t["mailing_channel_\(m.channel.rawValue)"] ?? m.channel.rawValue,
                status: t["mailing_status_\(m.status.rawValue)"] ?? m.status.rawValue, sent: m.stats.sent, recipients: m.stats.recipients,
                when: m.mode == .planned ? (m.sendAt.map { RussianFormat.dateTime($0, zone: zone) } ?? "") : (t["mailing_trigger_\(m.trigger?.event?.rawValue ?? "")"] ?? ""),
                deletionMark: m.deletionMark)
        }
        let statuses = Mailing.Status.allCases.map { ($0.rawValue, t["mailing_status_\($0.rawValue)"] ?? $0.rawValue) }
        return try await WebPage.render("mailing-list", titleKey: "nav_mailings", page: ListBody(
            items: rows, canEdit: try req.user.role.can(.editRecords), q: req.text("q") ?? "",
            status: FormOptions.make(statuses, selected: status?.rawValue ?? "", blank: t["all"] ?? "—"), total: total,
            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total)), for: req)
    }

    static func act(_ req: Request, _ body: (Mailing, MailingService) async throws -> String) async throws -> Response {
        try await RecordPageActions<MailingService>.act(req, section: .mailings, body)
    }

    @Sendable static func schedule(req: Request) async throws -> Response {
        try await act(req) { m, service in
            try await service.schedule(m, expectedVersion: nil, linkBase: req.siteBase)
            return WebPage.text(req, m.mode == .planned ? "mailing_scheduled" : "mailing_activated")
        }
    }

    @Sendable static func pause(req: Request) async throws -> Response {
        try await act(req) { m, service in try await service.pause(m, expectedVersion: nil); return WebPage.text(req, "mailing_paused") }
    }

    @Sendable static func resume(req: Request) async throws -> Response {
        try await act(req) { m, service in try await service.resume(m, expectedVersion: nil); return WebPage.text(req, "mailing_resumed") }
    }

    @Sendable static func cancel(req: Request) async throws -> Response {
        try await act(req) { m, service in try await service.cancel(m, expectedVersion: nil); return WebPage.text(req, "mailing_cancelled") }
    }
}
