import Fluent
import SdelkaCore
import Vapor

/// One mailing's page: what it says and whom it addresses (a form while it may change), its
/// actions, its figures, a preview on demand, and its recipients with what became of each.
enum MailingCard {
    struct Excluded: Encodable, Sendable { var address: String; var partner: String; var reason: String }
    struct Preview: Encodable, Sendable {
        var recipients: Int; var excludedTotal: Int; var excluded: [Excluded]
        var address: String?; var subject: String?; var text: String?
    }
    struct Recipient: Encodable, Sendable {
        var address: String; var partner: String; var partnerId: UUID?; var status: String; var reason: String; var interactionId: UUID?
    }
    struct Figures: Encodable, Sendable {
        var recipients: Int; var sent: Int; var failed: Int; var skipped: Int; var queued: Int
        var unsubscribed: Int; var replies: Int; var deals: Int; var revenue: String
    }

    struct Body: Encodable, Sendable {
        var heading: String
        var action: String
        var id: UUID?
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var editable: Bool
        var canSchedule: Bool
        var canPause: Bool
        var canResume: Bool
        var canCancel: Bool
        var status: String?
        var formError: String?
        var fields: [FormField]
        var figures: Figures?
        var preview: Preview?
        var recipients: [Recipient]
        var recipientsTotal: Int
        var history: [AuditPages.Row]
    }

    @Sendable static func preview(req: Request) async throws -> Response {
        let (mailing, service) = try await req.record(MailingService.self)
        var partner: UUID?
        if let code = req.text("partnerCode") {
            partner = try await PartnerQueries.scoped(service.context.scope, on: req.db).filter(\.$code == code).first()?.id
        }
        let preview = try await MailingReview(context: service.context).preview(mailing, partnerID: partner, base: req.siteBase)
        return try await render(req, mailing: mailing, form: nil, errors: [:], preview: preview)
    }

    static func render(_ req: Request, mailing: Mailing?, form: PostedForm?, errors: [String: String], preview: MailingPreviewDTO? = nil,
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(MailingService.self)
        let (dto, history) = try await StoredRecord.load(mailing, service: service, req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let fields = try await MailingForm.fields(req, dto: dto, make: make, t: t)
        let canEdit = try req.user.role.can(.editRecords)
        let state = dto?.status ?? .draft
        var figures: Figures?
        var recipients: [Recipient] = []
        var recipientsTotal = 0
        let review = MailingReview(context: service.context)
        if let mailing, let dto, state != .draft {
            let results = try await review.results(mailing, days: 30)
            figures = Figures(recipients: dto.stats.recipients, sent: dto.stats.sent, failed: dto.stats.failed, skipped: dto.stats.skipped,
                              queued: dto.stats.queued, unsubscribed: results.unsubscribedAfter, replies: results.replies, deals: results.deals,
                              revenue: RussianFormat.money(cents: Money.cents(results.revenue) ?? 0))
            let query = try review.recipients(mailing, status: req.text("status").flatMap(MailingRecipient.Status.init(rawValue:)))
            recipientsTotal = try await PageRequest.count(query)
            let rows = try await query.range(0..<200).all()
            let partners = try await Partner.names(of: rows.compactMap(\.partnerID), scope: service.context.scope, on: req.db)
            recipients = rows.map { r in
                Recipient(address: r.address ?? "", partner: r.partnerID.flatMap { partners[$0] } ?? "", partnerId: r.partnerID,
                          status: t["recipient_status_\(r.status.rawValue)"] ?? r.status.rawValue,
                          reason: r.reason.map { t["recipient_reason_\($0)"] ?? $0 } ?? "", interactionId: r.status == .skipped ? nil : r.interactionID)
            }
        }
        var shown: Preview?
        if let preview {
            let partners = try await Partner.names(of: preview.excluded.compactMap(\.partnerId), scope: service.context.scope, on: req.db)
            shown = Preview(recipients: preview.recipients, excludedTotal: preview.excludedTotal,
                            excluded: preview.excluded.prefix(50).map {
                                Excluded(address: $0.address ?? "", partner: $0.partnerId.flatMap { partners[$0] } ?? "",
                                         reason: t["recipient_reason_\($0.reason.rawValue)"] ?? $0.reason.rawValue)
                            },
                            address: preview.sample?.address, subject: preview.sample?.subject, text: preview.sample?.text)
        }
        let body = Body(
            heading: dto?.name ?? (t["mailing_new"] ?? ""), action: dto.map { Site.mailings.path($0.id) } ?? Site.mailings.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false, canEdit: canEdit,
            editable: canEdit && (state == .draft || state == .paused),
            canSchedule: canEdit && state == .draft && dto != nil, canPause: canEdit && [.scheduled, .sending, .active].contains(state),
            canResume: canEdit && state == .paused, canCancel: canEdit && dto != nil && ![.done, .cancelled].contains(state),
            status: dto.map { t["mailing_status_\($0.status.rawValue)"] ?? $0.status.rawValue }, formError: errors["form"] ?? errors["audience"],
            fields: fields, figures: figures, preview: shown, recipients: recipients, recipientsTotal: recipientsTotal, history: history)
        return try await WebPage.render("mailing-card", titleKey: "nav_mailings", page: body, for: req, status: status)
    }
}
