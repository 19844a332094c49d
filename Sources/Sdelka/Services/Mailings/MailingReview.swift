import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// A mailing seen before and after sending: whom it would reach now and the letter one of
/// them would get; and, once sent, what came of it.
struct MailingReview: Sendable {
    let context: ServiceContext
    var db: any Database { context.db }

    static let excludedShown = 200

    /// `partnerId` narrows the sample (and, for an event rule, names the partner whose event
    /// it would be).
    /// `base`: where links point while the mailing has not been scheduled yet.
    func preview(_ m: Mailing, partnerID: UUID?, base: String) async throws -> MailingPreviewDTO {
        let audience = MailingAudience(context: context)
        let plan = try await MailingDispatcher.plan(m, on: db)
        var candidates: [MailingAudience.Candidate]
        if m.mode == .event {
            let partner: UUID?
            if let partnerID { partner = partnerID } else {
                partner = try await PartnerQueries.scoped(context.scope, on: db).filter(\.$deletionMark == false).sort(\.$name).first()?.id
            }
            candidates = try await partner.asyncFlatMap { try await audience.candidates(plan, occurrences: [[.init(partnerID: $0)]]).first } ?? []
        } else {
            candidates = try await audience.candidates(plan)
        }
        let excluded = candidates.filter { $0.excluded != nil }
        let going = candidates.filter { $0.excluded == nil }
        let chosen = going.first { partnerID == nil || $0.partnerID == partnerID } ?? candidates.first { partnerID == nil || $0.partnerID == partnerID }
        var sample: MailingPreviewDTO.Sample?
        if let c = chosen {
            let r = MailingRecipient()
            r.token = "…"
            r.partnerID = c.partnerID
            r.contactPersonID = c.personID
            r.questionnaireID = c.questionnaireID
            r.dealID = c.dealID
            let values = try await MailingLetters.values(for: [r], owner: m.ownerID, on: db)
            let texts = MailingLetters(mailing: m, db: db, mailFrom: context.config.smtp?.from)
                .render(r, values: values, base: m.linkBase ?? context.config.publicURL ?? base)
            sample = .init(address: c.address, subject: texts.subject, text: texts.text, html: texts.html)
        }
        return MailingPreviewDTO(recipients: going.count,
                                 excluded: excluded.prefix(Self.excludedShown).map {
                                     .init(address: $0.address, partnerId: $0.partnerID, contactPersonId: $0.personID, reason: $0.excluded ?? .noAddress)
                                 },
                                 excludedTotal: excluded.count, sample: sample)
    }

    /// The mailing's recipients of the partners the user may see (extra addresses to those who see all).
    func recipients(_ m: Mailing, status: MailingRecipient.Status?) throws -> QueryBuilder<MailingRecipient> {
        let query = MailingRecipient.query(on: db).filter(\.$mailingID == (try m.requireID()))
        if let status { query.filter(\.$status == status) }
        if case .groups(let groups) = context.scope {
            query.join(Partner.self, on: \MailingRecipient.$partnerID == \Partner.$id).filter(Partner.self, \.$accessGroupID ~~ groups.map { Optional($0) })
        }
        return query.sort(\.$dueAt).sort(\.$id)
    }

    /// What the mailing achieved: its figures, why people were skipped, who left the topic
    /// through its letters, replies, and the deals and revenue of the partners it reached
    /// within `days` of its start.
    func results(_ m: Mailing, days: Int) async throws -> MailingResultsDTO {
        let id = try m.requireID()
        let stats = try await MailingStats.load([id], on: db)[id] ?? MailingStatsDTO()
        struct Reason: Decodable { var reason: String?; var n: Int }
        let reasons = try await db.sql.select().column("reason").column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(MailingRecipient.schema).where("mailing_id", .equal, SQLBind(id)).where("status", .equal, SQLBind(MailingRecipient.Status.skipped.rawValue))
            .groupBy("reason").all(decoding: Reason.self)
        let unsubscribed = try await Subscription.query(on: db).filter(\.$subscribed == false)
            .filter(\.$source, .custom("LIKE"), "mailing:\(id.uuidString):%").count()
        let replies = try await Interaction.query(on: db).filter(\.$subjectType == .mailing).filter(\.$subjectID == id)
            .filter(\.$incoming == true).filter(\.$deletionMark == false).count()
        let from = m.startedAt ?? m.activeSince ?? m.createdAt ?? Date()
        let to = m.mode == .event ? Date() : from.addingTimeInterval(Double(days) * 86_400)
        let reached = SQLSubquery.select {
            $0.column("partner_id").from(MailingRecipient.schema).where("mailing_id", .equal, SQLBind(id))
                .where("status", .equal, SQLBind(MailingRecipient.Status.sent.rawValue))
        }
        struct Sum: Decodable { var n: Int; var total: Int64? }
        let deals = db.sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .column(SQLAlias(SQLFunction("SUM", args: SQLColumn("potential_cents")), as: SQLIdentifier("total")))
            .from(Deal.schema).where("partner_id", .in, reached).where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .where("created_at", .greaterThanOrEqual, SQLBind(from)).where("created_at", .lessThanOrEqual, SQLBind(to))
        if let visible = context.scope.partnerVisible(SQLColumn("partner_id")) { deals.where(visible) }
        let dealSum = try await deals.first(decoding: Sum.self)
        let sales = db.sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .column(SQLAlias(SQLFunction("SUM", args: SQLColumn("revenue_cents")), as: SQLIdentifier("total")))
            .from(Sale.schema).where("partner_id", .in, reached).where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .where("is_return", .equal, SQLLiteral.boolean(false))
            .where("date", .greaterThanOrEqual, SQLBind(CalendarDate(from, in: context.zone).description))
            .where("date", .lessThanOrEqual, SQLBind(CalendarDate(to, in: context.zone).description))
        if let visible = context.scope.partnerVisible(SQLColumn("partner_id")) { sales.where(visible) }
        let saleSum = try await sales.first(decoding: Sum.self)
        return MailingResultsDTO(recipients: stats.recipients, sent: stats.sent, failed: stats.failed, skipped: stats.skipped, queued: stats.queued,
                                 skippedByReason: Dictionary(reasons.map { ($0.reason ?? "", $0.n) }, uniquingKeysWith: +),
                                 unsubscribedAfter: unsubscribed, replies: replies, days: days,
                                 deals: dealSum?.n ?? 0, dealsAmount: Money.decimal(cents: dealSum?.total ?? 0),
                                 revenue: Money.decimal(cents: saleSum?.total ?? 0))
    }
}
