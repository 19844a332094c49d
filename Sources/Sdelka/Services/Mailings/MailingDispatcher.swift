import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// The server's part in mailings, run with the outbox every few seconds: a planned mailing
/// whose time has come gets its recipient list (dynamic segments evaluated now) and starts
/// sending; event rules serve new events; recipients past the mailing's "valid until" are
/// dropped; due recipients go to the outbox at no more than `SDELKA_MAILING_RATE` a second;
/// a mailing with nothing left queued is done. Every step claims its work by a compare-and-set
/// or a unique key, so several servers on one database share it without doing anything twice.
enum MailingDispatcher {
    struct Summary: Equatable, Sendable {
        var started = 0
        var occurrences = 0
        var expired = 0
        var handed = 0
        var finished = 0
    }

    @discardableResult
    static func tick(_ app: Application, now: Date = Date(), limit: Int? = nil) async throws -> Summary {
        var summary = Summary()
        guard try await SettingsStore.features(on: app.db).isEnabled(.mailings) else { return summary }
        summary.started = try await startDue(app, now: now)
        summary.occurrences = try await serveEvents(app, now: now)
        summary.expired = try await expire(on: app.db, now: now)
        let perTick = limit ?? max(1, Int(Double(app.sdelka.mailingRate) * (app.sdelka.outboxInterval ?? 1)))
        summary.handed = try await handOver(app, now: now, limit: perTick)
        summary.finished = try await finish(on: app.db, now: now)
        return summary
    }

    /// Whose eyes a mailing sees with when the server sends it: its owner's.
    static func context(of m: Mailing, app: Application, db: any Database) async throws -> ServiceContext {
        ServiceContext(db: db, author: .system, scope: try await AccessScope.of(userID: m.ownerID, on: db), config: app.sdelka)
    }

    static func plan(_ m: Mailing, on db: any Database) async throws -> MailingAudience.Plan {
        let topic = try await m.topicID.asyncFlatMap { try await MailingTopic.find($0, on: db) }
        return MailingAudience.Plan(mailing: m.channel, topic: topic, audience: MailingDTO.audience(of: m))
    }

    /// scheduled → sending, with the recipient list, for each planned mailing whose time has
    /// come. The list is made before the claim; whoever wins the claim writes it.
    static func startDue(_ app: Application, now: Date) async throws -> Int {
        let due = try await Mailing.query(on: app.db).filter(\.$status == .scheduled).filter(\.$mode == .planned)
            .filter(\.$deletionMark == false).filter(\.$sendAt <= now).sort(\.$sendAt).all()
        var started = 0
        for m in due {
            let id = try m.requireID()
            let candidates = try await MailingAudience(context: context(of: m, app: app, db: app.db)).candidates(plan(m, on: app.db))
            let won = try await app.db.writeTransaction { tx in
                guard try await claim(id, from: .scheduled, to: .sending, now: now, on: tx) else { return false }
                try await MailingPlanner.queue(candidates, mailing: id, occurrence: "", dueAt: now, on: tx)
                return true
            }
            if won { started += 1 }
        }
        return started
    }

    /// New events of active event mailings, each written once with its recipients.
    static func serveEvents(_ app: Application, now: Date) async throws -> Int {
        var served = 0
        let rules = try await Mailing.query(on: app.db).filter(\.$status == .active).filter(\.$mode == .event).filter(\.$deletionMark == false).all()
        for m in rules {
            if let until = m.validUntil, until < now { continue }
            let found = try await MailingTriggers.occurrences(of: m, now: now, zone: app.sdelka.timeZone, on: app.db)
            guard !found.isEmpty else { continue }
            let id = try m.requireID()
            let lists = try await MailingAudience(context: context(of: m, app: app, db: app.db))
                .candidates(plan(m, on: app.db), occurrences: found.map { [$0.addressee] })
            let delay = TimeInterval((m.delayMinutes ?? 0) * 60)
            served += try await app.db.writeTransaction { tx in
                var taken = 0
                for (occurrence, candidates) in zip(found, lists) where try await MailingTriggers.take(occurrence.key, mailing: id, on: tx) {
                    try await MailingPlanner.queue(candidates, mailing: id, occurrence: occurrence.key, dueAt: occurrence.at.addingTimeInterval(delay), on: tx)
                    taken += 1
                }
                return taken
            }
        }
        return served
    }

    /// Recipients not yet handed over when their mailing's "valid until" passed are skipped.
    static func expire(on db: any Database, now: Date) async throws -> Int {
        struct Row: Decodable { var id: UUID }
        let expiredMailings = SQLSubquery.select { $0.column("id").from(Mailing.schema).where("valid_until", .lessThan, SQLBind(now)) }
        return try await db.sql.update(MailingRecipient.schema)
            .set("status", to: SQLBind(MailingRecipient.Status.skipped.rawValue))
            .set("reason", to: SQLBind(MailingRecipient.Reason.expired.rawValue))
            .where("status", .equal, SQLBind(MailingRecipient.Status.queued.rawValue)).where("handed_at", .is, SQLLiteral.null)
            .where("mailing_id", .in, expiredMailings)
            .returning("id").all(decoding: Row.self).count
    }

    /// Up to `limit` due recipients of sending or active mailings go to the outbox.
    static func handOver(_ app: Application, now: Date, limit: Int) async throws -> Int {
        let due = try await MailingRecipient.query(on: app.db)
            .join(Mailing.self, on: \MailingRecipient.$mailingID == \Mailing.$id)
            .filter(Mailing.self, \.$status ~~ [.sending, .active])
            .filter(\.$status == .queued).filter(\.$handedAt == nil).filter(\.$dueAt <= now)
            .sort(\.$dueAt).sort(\.$id).range(0..<limit).all()
        guard !due.isEmpty else { return 0 }
        var handed = 0
        for (mailingID, rows) in Dictionary(grouping: due, by: \.mailingID) {
            guard let m = try await Mailing.find(mailingID, on: app.db) else { continue }
            handed += try await MailingLetters(mailing: m, db: app.db, mailFrom: app.sdelka.smtp?.from).handOver(rows, now: now)
        }
        return handed
    }

    /// sending → done once nothing of the mailing is queued any more.
    static func finish(on db: any Database, now: Date) async throws -> Int {
        let sending = try await Mailing.query(on: db).filter(\.$status == .sending).all()
        var finished = 0
        for m in sending {
            let id = try m.requireID()
            let left = try await MailingRecipient.query(on: db).filter(\.$mailingID == id).filter(\.$status == .queued).count()
            if left == 0, try await db.writeTransaction({ tx in try await claim(id, from: .sending, to: .done, now: now, on: tx) }) { finished += 1 }
        }
        return finished
    }

    /// Moves a mailing between statuses if it is still in `from`: one version up, a line in
    /// the audit log by «system».
    private static func claim(_ id: UUID, from: Mailing.Status, to: Mailing.Status, now: Date, on tx: any Database) async throws -> Bool {
        let update = tx.sql.update(Mailing.schema).set("status", to: SQLBind(to.rawValue))
            .set("version", to: SQLRaw("version + 1")).set("updated_at", to: SQLBind(now))
        if to == .sending { update.set("started_at", to: SQLBind(now)) }
        if to == .done { update.set("finished_at", to: SQLBind(now)) }
        let rows = try await update.where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(from.rawValue)).returning("id").all()
        guard !rows.isEmpty else { return false }
        try await Audit.record(.update, objectType: Mailing.objectType, objectID: id.uuidString,
                               changes: [FieldChange(field: "status", old: .string(from.rawValue), new: .string(to.rawValue))], by: .system, on: tx)
        return true
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension AccessScope {
    /// The scope of a user by id, for work the server does on their behalf; a user who is
    /// gone or inactive sees nobody.
    static func of(userID: UUID?, on db: any Database) async throws -> AccessScope {
        guard let userID, let user = try await User.find(userID, on: db), user.active else { return .groups([]) }
        if user.role.seesAllPartners { return .all }
        guard try await SettingsStore.features(on: db).isEnabled(.accessGroups) else { return .all }
        return .groups(Set(try await UserAccessGroup.query(on: db).filter(\.$user.$id == userID).all(\.$accessGroup.$id)))
    }
}
