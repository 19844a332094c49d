import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Finds the events an event mailing answers (DOMAIN.md §7 "по событиям"): deals won or
/// entering a stage, new clients, birthdays, sales, closed claims, answered questionnaires.
/// Each event is an occurrence with a key of its own; it is served when its key is first
/// written for the mailing (`mailing_occurrences` is unique on the pair), so however many
/// servers look, it sends once.
enum MailingTriggers {
    struct Occurrence: Sendable {
        var key: String
        var addressee: MailingAudience.Addressee
        /// When the event happened; the delay counts from it (from the day's start for birthdays).
        var at: Date
    }

    /// Events are looked for this far back at most: a server down longer misses older ones
    /// rather than greeting a client for last week's deal.
    static let lookback: TimeInterval = 2 * 86_400
    static let batch = 500

    static func occurrences(of m: Mailing, now: Date, zone: TimeZone, on db: any Database) async throws -> [Occurrence] {
        guard let trigger = m.triggerEvent, let activeSince = m.activeSince else { return [] }
        let since = max(activeSince, now.addingTimeInterval(-lookback))
        let sql = db.sql
        var found: [Occurrence] = []
        switch trigger {
        case .dealWon:
            struct Row: Decodable { var id: UUID; var partner_id: UUID; var updated_at: Date }
            let query = sql.select().columns("id", "partner_id", "updated_at").from(Deal.schema)
                .where("status", .equal, SQLBind(DealStatus.won.rawValue)).where("deletion_mark", .equal, SQLLiteral.boolean(false))
                .where("updated_at", .greaterThanOrEqual, SQLBind(since))
            if let kind = m.triggerDealKindID { query.where("kind_id", .equal, SQLBind(kind)) }
            found = try await query.orderBy("updated_at").limit(batch).all(decoding: Row.self).map {
                Occurrence(key: "dealWon:" + $0.id.uuidString, addressee: .init(partnerID: $0.partner_id, dealID: $0.id), at: $0.updated_at)
            }
        case .dealStage:
            guard let stage = m.triggerStageID else { return [] }
            struct Row: Decodable { var id: UUID; var deal_id: UUID; var partner_id: UUID; var start_at: Date }
            found = try await sql.select().column(SQLColumn("id", table: "r")).column(SQLColumn("deal_id", table: "r"))
                .column(SQLColumn("partner_id", table: "d")).column(SQLColumn("start_at", table: "r"))
                .from(SQLAlias(SQLIdentifier("deal_stage_rows"), as: SQLIdentifier("r")))
                .join(SQLAlias(SQLIdentifier(Deal.schema), as: SQLIdentifier("d")), on: SQLColumn("id", table: "d"), .equal, SQLColumn("deal_id", table: "r"))
                .where(SQLColumn("stage_id", table: "r"), .equal, SQLBind(stage)).where(SQLColumn("start_at", table: "r"), .greaterThanOrEqual, SQLBind(since))
                .where(SQLColumn("deletion_mark", table: "d"), .equal, SQLLiteral.boolean(false))
                .orderBy(SQLColumn("start_at", table: "r")).limit(batch).all(decoding: Row.self).map {
                    Occurrence(key: "dealStage:" + $0.id.uuidString, addressee: .init(partnerID: $0.partner_id, dealID: $0.deal_id), at: $0.start_at)
                }
        case .partnerCreated:
            struct Row: Decodable { var id: UUID; var created_at: Date }
            found = try await sql.select().columns("id", "created_at").from(Partner.schema)
                .where("is_client", .equal, SQLLiteral.boolean(true)).where("deletion_mark", .equal, SQLLiteral.boolean(false))
                .where("created_at", .greaterThanOrEqual, SQLBind(since)).orderBy("created_at").limit(batch).all(decoding: Row.self).map {
                    Occurrence(key: "partnerCreated:" + $0.id.uuidString, addressee: .init(partnerID: $0.id), at: $0.created_at)
                }
        case .saleShipped:
            struct Row: Decodable { var id: UUID; var partner_id: UUID; var created_at: Date }
            found = try await sql.select().columns("id", "partner_id", "created_at").from(Sale.schema)
                .where("is_return", .equal, SQLLiteral.boolean(false)).where("deletion_mark", .equal, SQLLiteral.boolean(false))
                .where("created_at", .greaterThanOrEqual, SQLBind(since)).orderBy("created_at").limit(batch).all(decoding: Row.self).map {
                    Occurrence(key: "saleShipped:" + $0.id.uuidString, addressee: .init(partnerID: $0.partner_id), at: $0.created_at)
                }
        case .claimClosed:
            struct Row: Decodable { var id: UUID; var partner_id: UUID; var contact_person_id: UUID?; var updated_at: Date }
            found = try await sql.select().columns("id", "partner_id", "contact_person_id", "updated_at").from(Claim.schema)
                .where("status", .in, SQLBind.group([ClaimStatus.satisfied.rawValue, ClaimStatus.notSatisfied.rawValue]))
                .where("deletion_mark", .equal, SQLLiteral.boolean(false))
                .where("updated_at", .greaterThanOrEqual, SQLBind(since)).orderBy("updated_at").limit(batch).all(decoding: Row.self).map {
                    Occurrence(key: "claimClosed:" + $0.id.uuidString, addressee: .init(partnerID: $0.partner_id, personID: $0.contact_person_id), at: $0.updated_at)
                }
        case .surveyAnswered:
            struct Row: Decodable { var id: UUID; var partner_id: UUID; var contact_person_id: UUID?; var answered_at: Date }
            let query = sql.select().columns("id", "partner_id", "contact_person_id", "answered_at").from(Questionnaire.schema)
                .where("status", .equal, SQLBind(Questionnaire.Status.answered.rawValue)).where("answered_at", .greaterThanOrEqual, SQLBind(since))
            if let survey = MailingDTO.audience(of: m).surveyId { query.where("survey_id", .equal, SQLBind(survey)) }
            found = try await query.orderBy("answered_at").limit(batch).all(decoding: Row.self).map {
                Occurrence(key: "surveyAnswered:" + $0.id.uuidString,
                           addressee: .init(partnerID: $0.partner_id, personID: $0.contact_person_id, questionnaireID: $0.id), at: $0.answered_at)
            }
        case .birthday:
            found = try await birthdays(since: since, now: now, zone: zone, on: db)
        }
        return try await unserved(found, mailing: try m.requireID(), on: db)
    }

    /// Today's birthdays in the company's zone, of contact persons and of partners (people
    /// who are clients themselves); those born on 29 February are greeted on the 28th in
    /// common years. A day already begun before the rule became active is not served.
    static func birthdays(since: Date, now: Date, zone: TimeZone, on db: any Database) async throws -> [Occurrence] {
        let today = CalendarDate(now, in: zone)
        guard CalendarDate(since, in: zone) <= today else { return [] }
        var suffixes = [String(format: "%%-%02d-%02d", today.month, today.day)]
        if today.month == 2, today.day == 28, CalendarDate.days(inMonth: 2, of: today.year) == 28 { suffixes.append("%-02-29") }
        let start = today.start(in: zone)
        func like(_ column: String) -> any SQLExpression {
            suffixes.dropFirst().reduce(SQLBinaryExpression(SQLColumn(column), .like, SQLBind(suffixes[0])) as any SQLExpression) {
                SQLBinaryExpression($0, .or, SQLBinaryExpression(SQLColumn(column), .like, SQLBind($1)))
            }
        }
        struct Person: Decodable { var id: UUID; var partner_id: UUID; var birth_date: String }
        struct Party: Decodable { var id: UUID; var birth_date: String }
        var found: [Occurrence] = []
        for p in try await db.sql.select().columns("id", "partner_id", "birth_date").from(ContactPerson.schema)
            .where(SQLGroupExpression(like("birth_date"))).where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .orderBy("name").all(decoding: Person.self) where CalendarDate(p.birth_date).map(today.isBirthday(of:)) == true {
            found.append(Occurrence(key: "birthday:\(today):" + p.id.uuidString, addressee: .init(partnerID: p.partner_id, personID: p.id), at: start))
        }
        for p in try await db.sql.select().columns("id", "birth_date").from(Partner.schema)
            .where(SQLGroupExpression(like("birth_date"))).where("deletion_mark", .equal, SQLLiteral.boolean(false))
            .orderBy("name").all(decoding: Party.self) where CalendarDate(p.birth_date).map(today.isBirthday(of:)) == true {
            found.append(Occurrence(key: "birthday:\(today):" + p.id.uuidString, addressee: .init(partnerID: p.id), at: start))
        }
        return found
    }

    /// Leaves out the occurrences the mailing has served already.
    private static func unserved(_ found: [Occurrence], mailing: UUID, on db: any Database) async throws -> [Occurrence] {
        guard !found.isEmpty else { return [] }
        struct Row: Decodable { var occurrence: String }
        var served = Set<String>()
        for chunk in found.chunks(of: 1_000) {
            served.formUnion(try await db.sql.select().column("occurrence").from("mailing_occurrences")
                .where("mailing_id", .equal, SQLBind(mailing)).where("occurrence", .in, SQLBind.group(chunk.map(\.key)))
                .all(decoding: Row.self).map(\.occurrence))
        }
        return found.filter { !served.contains($0.key) }
    }

    /// Writes the occurrence for the mailing unless someone did; answers whether this call did.
    static func take(_ key: String, mailing: UUID, on db: any Database) async throws -> Bool {
        try await db.sql.raw("""
            INSERT INTO mailing_occurrences (mailing_id, occurrence, created_at) VALUES (\(bind: mailing), \(bind: key), \(bind: Date()))
            ON CONFLICT (mailing_id, occurrence) DO NOTHING RETURNING occurrence
            """).first() != nil
    }
}
