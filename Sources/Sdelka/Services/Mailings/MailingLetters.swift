import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Hands due recipients of one mailing to the outbox: each becomes an interaction of its
/// partner (an e-mail or an SMS whose subject is the mailing) with its own text, written in
/// one transaction that first claims the rows, so that two servers never hand a row twice. The
/// interaction takes the recipient row's id, which is how the row finds its letter again.
struct MailingLetters: Sendable {
    let mailing: Mailing
    let db: any Database
    let mailFrom: MailAddress?

    struct Values: Sendable {
        var partners: [UUID: (name: String, manager: UUID?)] = [:]
        var people: [UUID: String] = [:]
        var users: [UUID: (name: String, phone: String?)] = [:]
        var deals: [UUID: (name: String, amount: Int64?, currency: String)] = [:]
        var questionnaires: [UUID: String] = [:]
    }

    /// The texts of one recipient: subject, plain text, HTML.
    func render(_ r: MailingRecipient, values v: Values, base: String) -> (subject: String, text: String, html: String?) {
        var fields: [String: String] = ["unsubscribe.link": base + "/u/" + r.token]
        let partner = r.partnerID.flatMap { v.partners[$0] }
        if let partner {
            fields["partner.name"] = partner.name
            fields["contact.name"] = partner.name
            fields["contact.firstName"] = partner.name
        }
        if let person = r.contactPersonID.flatMap({ v.people[$0] }) {
            fields["contact.name"] = person
            fields["contact.firstName"] = MailingTemplate.firstName(of: person)
        }
        if let manager = (partner?.manager ?? mailing.ownerID).flatMap({ v.users[$0] }) {
            fields["manager.name"] = manager.name
            fields["manager.phone"] = manager.phone
        }
        if let deal = r.dealID.flatMap({ v.deals[$0] }) {
            fields["deal.name"] = deal.name
            fields["deal.amount"] = deal.amount.map { RussianFormat.money(cents: $0, symbol: deal.currency == "RUB" ? "₽" : deal.currency) }
        }
        if let token = r.questionnaireID.flatMap({ v.questionnaires[$0] }) { fields["survey.link"] = base + "/s/" + token }
        return (MailingTemplate(mailing.subject).render(fields), MailingTemplate(mailing.text).render(fields),
                mailing.html.map { MailingTemplate($0).render(fields, escape: MailingTemplate.escapeHTML) })
    }

    /// What the placeholders of these recipients need, in one query per kind.
    static func values(for rows: [MailingRecipient], owner: UUID?, on db: any Database) async throws -> Values {
        var v = Values()
        let sql = db.sql
        let partnerIDs = Array(Set(rows.compactMap(\.partnerID)))
        struct P: Decodable { var id: UUID; var name: String; var main_manager_id: UUID? }
        if !partnerIDs.isEmpty {
            for p in try await sql.select().columns("id", "name", "main_manager_id").from(Partner.schema).where("id", .in, SQLBind.group(partnerIDs)).all(decoding: P.self) {
                v.partners[p.id] = (p.name, p.main_manager_id)
            }
        }
        struct N: Decodable { var id: UUID; var name: String }
        let personIDs = Array(Set(rows.compactMap(\.contactPersonID)))
        if !personIDs.isEmpty {
            for p in try await sql.select().columns("id", "name").from(ContactPerson.schema).where("id", .in, SQLBind.group(personIDs)).all(decoding: N.self) {
                v.people[p.id] = p.name
            }
        }
        let userIDs = Array(Set(v.partners.values.compactMap(\.manager) + [owner].compactMap { $0 }))
        struct U: Decodable { var id: UUID; var name: String; var phone: String? }
        if !userIDs.isEmpty {
            for u in try await sql.select().columns("id", "name", "phone").from(User.schema).where("id", .in, SQLBind.group(userIDs)).all(decoding: U.self) {
                v.users[u.id] = (u.name, u.phone)
            }
        }
        let dealIDs = Array(Set(rows.compactMap(\.dealID)))
        struct D: Decodable { var id: UUID; var name: String; var potential_cents: Int64?; var currency: String }
        if !dealIDs.isEmpty {
            for d in try await sql.select().columns("id", "name", "potential_cents", "currency").from(Deal.schema).where("id", .in, SQLBind.group(dealIDs)).all(decoding: D.self) {
                v.deals[d.id] = (d.name, d.potential_cents, d.currency)
            }
        }
        let questionnaireIDs = Array(Set(rows.compactMap(\.questionnaireID)))
        struct Q: Decodable { var id: UUID; var token: String }
        if !questionnaireIDs.isEmpty {
            for q in try await sql.select().columns("id", "token").from(Questionnaire.schema).where("id", .in, SQLBind.group(questionnaireIDs)).all(decoding: Q.self) {
                v.questionnaires[q.id] = q.token
            }
        }
        return v
    }

    static let interactions = JSONRowsInsert(
        table: Interaction.schema,
        columns: [("id", .uuid), ("type", .text), ("topic", .text), ("occurred_at", .timestamp), ("mail_from", .text), ("mail_to", .text),
                  ("body_text", .text), ("body_html", .text), ("status", .text), ("message_id", .text), ("sms_text", .text), ("transliterate", .bool),
                  ("valid_until", .timestamp), ("search_text", .text), ("responsible_id", .uuid), ("partner_id", .uuid)])
    static let participants = JSONRowsInsert(
        table: InteractionParticipant.schema,
        columns: [("id", .uuid), ("interaction_id", .uuid), ("partner_id", .uuid), ("contact_person_id", .uuid), ("address", .text)])
    static let smsRecipients = JSONRowsInsert(
        table: SMSRecipient.schema, columns: [("id", .uuid), ("interaction_id", .uuid), ("phone", .text)])
    static let audit = JSONRowsInsert(
        table: AuditEntry.schema, columns: [("id", .uuid), ("at", .timestamp), ("object_id", .text), ("changes", .text)])

    /// Claims `rows` and writes their messages; answers how many went to the outbox.
    func handOver(_ rows: [MailingRecipient], now: Date) async throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let values = try await Self.values(for: rows, owner: mailing.ownerID, on: db)
        let mailingID = try mailing.requireID()
        let base = mailing.linkBase ?? ""
        let domain = mailFrom.map { String($0.address.split(separator: "@").last ?? "sdelka") } ?? "sdelka"
        let from = mailing.sender ?? mailFrom.map { MIMEEncoding.header($0) }
        let mailing = self.mailing
        return try await db.writeTransaction { tx in
            struct Claimed: Decodable { var id: UUID }
            let claimed = Set(try await tx.sql.update(MailingRecipient.schema)
                .set("handed_at", to: SQLBind(now)).set("interaction_id", to: SQLColumn("id"))
                .where("id", .in, SQLBind.group(try rows.map { try $0.requireID() }))
                .where("handed_at", .is, SQLLiteral.null).where("status", .equal, SQLBind(MailingRecipient.Status.queued.rawValue))
                .returning("id").all(decoding: Claimed.self).map(\.id))
            let mine = rows.filter { $0.id.map(claimed.contains) ?? false }
            guard !mine.isEmpty else { return 0 }
            var letters: [[JSONRowsInsert.Cell]] = [], parts: [[JSONRowsInsert.Cell]] = [], phones: [[JSONRowsInsert.Cell]] = []
            var audit: [[JSONRowsInsert.Cell]] = []
            let encoder = JSONEncoder()
            for r in mine {
                let id = try r.requireID(), address = r.address ?? ""
                let texts = render(r, values: values, base: base)
                let sms = r.channel == Interaction.Kind.sms.rawValue
                let person = r.contactPersonID.flatMap { values.people[$0] } ?? r.partnerID.flatMap { values.partners[$0]?.name }
                let to = person.map { MIMEEncoding.header(MailAddress(name: $0, address: address)) } ?? address
                let topic = sms ? mailing.name : texts.subject
                letters.append([.uuid(id), .text(sms ? "sms" : "email"), .text(topic), .timestamp(now),
                                sms ? .null : .text(from), sms ? .null : .text(to), sms ? .null : .text(texts.text), sms ? .null : .text(texts.html),
                                sms ? .null : .text(Interaction.MailStatus.queued.rawValue),
                                sms ? .null : .text("<\(id.uuidString.lowercased())@\(domain)>"), sms ? .text(texts.text) : .null,
                                sms ? .bool(false) : .null, mailing.validUntil.map { .timestamp($0) } ?? .null,
                                .text(SearchText.normalize(topic, address)),
                                .uuid(r.partnerID.flatMap { values.partners[$0]?.manager } ?? mailing.ownerID), .uuid(r.partnerID)])
                parts.append([.uuid(TimeOrderedID.make()), .uuid(id), .uuid(r.partnerID), .uuid(r.contactPersonID), .text(address)])
                if sms { phones.append([.uuid(TimeOrderedID.make()), .uuid(id), .text(address)]) }
                let changes = [FieldChange(field: "type", old: nil, new: .string(sms ? "sms" : "email")),
                               FieldChange(field: "topic", old: nil, new: .string(topic)),
                               FieldChange(field: sms ? "recipients" : "to", old: nil, new: .string(address)),
                               FieldChange(field: "subject", old: nil, new: .string("mailing:" + mailingID.uuidString))]
                audit.append([.uuid(TimeOrderedID.make()), .timestamp(now), .text(id.uuidString), .text(String(decoding: try encoder.encode(changes), as: UTF8.self))])
            }
            var letterInsert = Self.interactions
            letterInsert.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now), ("importance", "normal"),
                                      ("reviewed", true), ("mail_attempts", 0), ("subject_type", Interaction.SubjectType.mailing.rawValue),
                                      ("subject_id", mailingID), ("author_id", mailing.ownerID)]
            try await letterInsert.run(letters, on: tx.sql)
            var partInsert = Self.participants
            partInsert.constants = [("position", 0)]
            try await partInsert.run(parts, on: tx.sql)
            var phoneInsert = Self.smsRecipients
            phoneInsert.constants = [("position", 0), ("state", SMSRecipient.State.queued.rawValue), ("attempts", 0)]
            try await phoneInsert.run(phones, on: tx.sql)
            var auditInsert = Self.audit
            auditInsert.constants = [("user_login", ChangeAuthor.system.login), ("action", AuditEntry.Action.create.rawValue),
                                     ("object_type", Interaction.objectType)]
            try await auditInsert.run(audit, on: tx.sql)
            try await InteractionChains.refresh([InteractionSubjectDTO(type: .mailing, id: mailingID)], on: tx)
            return mine.count
        }
    }
}
