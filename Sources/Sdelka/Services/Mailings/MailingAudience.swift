import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Who a mailing reaches, as one user (its owner) may see them: the partners of its sources,
/// expanded to the partner's own address and/or its contact persons, each with the address the
/// channel needs, and everyone left out with the reason. A handful of set-based queries whatever
/// the size: every partner-keyed read filters by the sources' subqueries, never by a list of
/// thousands of ids.
struct MailingAudience: Sendable {
    let context: ServiceContext
    var db: any Database { context.db }

    /// A partner, or one of its contact persons, named by a source or an event.
    struct Addressee: Sendable, Hashable {
        var partnerID: UUID
        var personID: UUID?
        var questionnaireID: UUID?
        var dealID: UUID?
    }

    struct Candidate: Sendable {
        var partnerID: UUID?
        var personID: UUID?
        var questionnaireID: UUID?
        var dealID: UUID?
        var address: String?
        var channel: Interaction.Kind?
        var excluded: MailingRecipient.Reason?
        /// Once per mailing and occurrence: the address, or the addressee when there is none.
        var addressKey: String
    }

    struct Plan: Sendable {
        var mailing: Mailing.Channel
        var topic: MailingTopic?
        var audience: MailingAudienceDTO
    }

    /// Everyone the plan reaches and everyone it leaves out, in the order of the sources:
    /// `explicit` (an event's partner) replaces the audience's sources.
    func candidates(_ plan: Plan, explicit: [Addressee]? = nil) async throws -> [Candidate] {
        let a = plan.audience
        var whole: [UUID] = []
        var pairs: [Addressee] = explicit ?? []
        var sources: [any SQLExpression] = []
        if let explicit {
            if !explicit.isEmpty { sources.append(SQLBind.group(Array(Set(explicit.map(\.partnerID))))) }
        } else {
            if let id = a.segmentId, let segment = try await Segment.find(id, on: db), !segment.deletionMark {
                let segments = SegmentService(context)
                struct Row: Decodable { var id: UUID }
                whole += try await segments.members(of: segment).column(SQLColumn("id", table: "p"))
                    .orderBy(SQLColumn("name", table: "p")).orderBy(SQLColumn("id", table: "p")).all(decoding: Row.self).map(\.id)
                sources.append(SQLGroupExpression(try segments.members(of: segment).column(SQLColumn("id", table: "p")).select))
            }
            if let ids = a.partnerIds, !ids.isEmpty {
                whole += ids
                sources.append(SQLBind.group(ids))
            }
            if let id = a.eventId {
                let query = EventParticipant.query(on: db).filter(\.$eventID == id)
                if a.eventAttendance == .invited { query.filter(\.$invited == true) }
                if a.eventAttendance == .attended { query.filter(\.$attended == true) }
                pairs += try await query.sort(\.$position).all().map { Addressee(partnerID: $0.partnerID, personID: $0.contactPersonID) }
                sources.append(subquery("partner_id", from: EventParticipant.schema, where: "event_id", id))
            }
            if let id = a.surveyId {
                let query = Questionnaire.query(on: db).filter(\.$surveyID == id)
                if a.surveyRespondents == .unanswered { query.filter(\.$status == .invited) }
                pairs += try await query.sort(\.$createdAt).sort(\.$id).all()
                    .map { Addressee(partnerID: $0.partnerID, personID: $0.contactPersonID, questionnaireID: $0.id) }
                sources.append(subquery("partner_id", from: Questionnaire.schema, where: "survey_id", id))
            }
            if let ids = a.contactPersonIds, !ids.isEmpty {
                struct Row: Decodable { var id: UUID; var partner_id: UUID }
                let rows = try await db.sql.select().columns("id", "partner_id").from(ContactPerson.schema)
                    .where("id", .in, SQLBind.group(ids)).all(decoding: Row.self)
                let byID = Dictionary(rows.map { ($0.id, $0.partner_id) }, uniquingKeysWith: { a, _ in a })
                pairs += ids.compactMap { id in byID[id].map { Addressee(partnerID: $0, personID: id) } }
                sources.append(SQLBind.group(Array(Set(rows.map(\.partner_id)))))
            }
        }
        let known = try await Known.load(sources: sources, plan: plan, context: context)
        var builder = Builder(plan: plan, known: known)
        for partner in whole { builder.add(Addressee(partnerID: partner)) }
        for pair in pairs { builder.add(pair) }
        for extra in a.extraAddresses ?? [] { builder.addExtra(extra) }
        return builder.result
    }

    /// Each event's addressees apart (one recipient list per occurrence), read in one go.
    func candidates(_ plan: Plan, occurrences: [[Addressee]]) async throws -> [[Candidate]] {
        let partners = Set(occurrences.joined().map(\.partnerID))
        let sources: [any SQLExpression] = partners.isEmpty ? [] : [SQLBind.group(Array(partners))]
        let known = try await Known.load(sources: sources, plan: plan, context: context)
        return occurrences.map { addressees in
            var builder = Builder(plan: plan, known: known)
            for addressee in addressees { builder.add(addressee) }
            return builder.result
        }
    }

    private func subquery(_ column: String, from table: String, where key: String, _ id: UUID) -> any SQLExpression {
        SQLGroupExpression(db.sql.select().column(column).from(table).where(key, .equal, SQLBind(id)).select)
    }
}

extension MailingAudience {
    /// What the expansion needs to know of the sources' partners, read in one query per kind.
    struct Known: Sendable {
        struct Party: Sendable { var name: String; var deleted: Bool; var partnerID: UUID }
        var partners: [UUID: Party] = [:]
        var people: [UUID: Party] = [:]
        /// Live contact persons of each partner, in name order.
        var peopleOf: [UUID: [UUID]] = [:]
        /// The e-mails and phones of each owner (partner or contact person), in their order.
        var emails: [UUID: [String]] = [:]
        var phones: [UUID: [String]] = [:]
        var withRole: Set<UUID>?
        var stopListed: Set<UUID> = []
        var unsubscribed: Set<String> = []

        static func load(sources: [any SQLExpression], plan: Plan, context: ServiceContext) async throws -> Known {
            var known = Known()
            let db = context.db, sql = db.sql
            if let topic = plan.topic, topic.isUnsubscribable {
                struct Row: Decodable { var address: String }
                known.unsubscribed = Set(try await sql.select().column("address").from(Subscription.schema)
                    .where("topic_id", .equal, SQLBind(try topic.requireID())).where("subscribed", .equal, SQLLiteral.boolean(false))
                    .all(decoding: Row.self).map(\.address))
            }
            guard !sources.isEmpty else { return known }
            func among(_ column: any SQLExpression) -> any SQLExpression {
                sources.dropFirst().reduce(SQLBinaryExpression(column, .in, sources[0]) as any SQLExpression) {
                    SQLBinaryExpression($0, .or, SQLBinaryExpression(column, .in, $1))
                }
            }
            struct PartnerRow: Decodable { var id: UUID; var name: String; var deletion_mark: Bool }
            let partnerQuery = sql.select().columns("id", "name", "deletion_mark").from(SQLAlias(SQLIdentifier(Partner.schema), as: SQLIdentifier("p")))
                .where(SQLGroupExpression(among(SQLColumn("id", table: "p"))))
            for row in try await context.scope.apply(to: partnerQuery, column: SQLColumn("access_group_id", table: "p")).all(decoding: PartnerRow.self) {
                known.partners[row.id] = Party(name: row.name, deleted: row.deletion_mark, partnerID: row.id)
            }
            struct PersonRow: Decodable { var id: UUID; var partner_id: UUID; var name: String; var deletion_mark: Bool }
            for row in try await sql.select().columns("id", "partner_id", "name", "deletion_mark").from(ContactPerson.schema)
                .where(SQLGroupExpression(among(SQLColumn("partner_id")))).orderBy("name").orderBy("id").all(decoding: PersonRow.self)
                where known.partners[row.partner_id] != nil {
                known.people[row.id] = Party(name: row.name, deleted: row.deletion_mark, partnerID: row.partner_id)
                known.peopleOf[row.partner_id, default: []].append(row.id)
            }
            struct DetailRow: Decodable { var owner_id: UUID; var partner_id: UUID; var type: String; var normalized: String }
            for row in try await sql.select().columns("owner_id", "partner_id", "type", "normalized").from(ContactDetail.schema)
                .where(SQLGroupExpression(among(SQLColumn("partner_id"))))
                .where("owner_type", .in, SQLBind.group([ContactDetail.OwnerType.partner.rawValue, ContactDetail.OwnerType.contactPerson.rawValue]))
                .where("type", .in, SQLBind.group([ContactDetail.DetailType.email.rawValue, ContactDetail.DetailType.phone.rawValue]))
                .orderBy("position").all(decoding: DetailRow.self) where known.partners[row.partner_id] != nil && !row.normalized.isEmpty {
                if row.type == ContactDetail.DetailType.email.rawValue { known.emails[row.owner_id, default: []].append(row.normalized) }
                else { known.phones[row.owner_id, default: []].append(row.normalized) }
            }
            if let role = plan.audience.roleId {
                struct Row: Decodable { var contact_person_id: UUID }
                known.withRole = Set(try await sql.select().column("contact_person_id").from(ContactPersonRole.schema)
                    .where("role_id", .equal, SQLBind(role)).all(decoding: Row.self).map(\.contact_person_id))
            }
            if try await SettingsStore.features(on: db).isEnabled(.segments) {
                let today = CalendarDate(Date(), in: context.config.timeZone)
                for segment in try await Segment.query(on: db).filter(\.$stopList == true).filter(\.$deletionMark == false).all() {
                    struct Row: Decodable { var id: UUID }
                    let members = try await sql.select().column(SQLColumn("id", table: "p")).from(SQLAlias(SQLIdentifier(Partner.schema), as: SQLIdentifier("p")))
                        .where(try SegmentMembership.predicate(segment, column: SQLColumn("id", table: "p"), today: today, timeZone: context.config.timeZone))
                        .where(SQLGroupExpression(among(SQLColumn("id", table: "p")))).all(decoding: Row.self)
                    known.stopListed.formUnion(members.map(\.id))
                }
            }
            return known
        }
    }

    /// Turns addressees into candidates: each partner and contact person once, each address once.
    struct Builder {
        let plan: Plan
        let known: Known
        var result: [Candidate] = []
        var seenOwners = Set<UUID>()
        var seenAddresses = Set<String>()

        init(plan: Plan, known: Known) {
            self.plan = plan
            self.known = known
        }

        mutating func add(_ addressee: Addressee) {
            guard let partner = known.partners[addressee.partnerID] else { return }  // not theirs to see
            if let person = addressee.personID {
                guard known.people[person]?.partnerID == addressee.partnerID else { return }
                addOwner(person, partnerID: addressee.partnerID, personID: person, from: addressee)
                return
            }
            let whom = plan.audience.whom ?? .partner
            if whom != .contactPersons || partner.deleted {
                addOwner(addressee.partnerID, partnerID: addressee.partnerID, personID: nil, from: addressee)
            }
            guard whom != .partner, !partner.deleted else { return }
            for person in known.peopleOf[addressee.partnerID] ?? [] where known.withRole.map({ $0.contains(person) }) ?? true {
                addOwner(person, partnerID: addressee.partnerID, personID: person, from: addressee)
            }
        }

        mutating func addExtra(_ raw: String) {
            let text = raw.trimmingCharacters(in: .whitespaces)
            let isEmail = text.contains("@")
            let address = ContactDetail.normalize(text, type: isEmail ? .email : .phone)
            guard !address.isEmpty else { return }
            let channel: Interaction.Kind = isEmail ? .email : .sms
            var c = Candidate(address: address, channel: channel, addressKey: address)
            if plan.mailing == .email && !isEmail || plan.mailing == .sms && isEmail { c.excluded = .noAddress }
            judge(&c)
        }

        private mutating func addOwner(_ owner: UUID, partnerID: UUID, personID: UUID?, from addressee: Addressee) {
            guard seenOwners.insert(owner).inserted else { return }
            var c = Candidate(partnerID: partnerID, personID: personID, questionnaireID: addressee.questionnaireID, dealID: addressee.dealID,
                              addressKey: (personID == nil ? "partner:" : "person:") + owner.text)
            let emails = known.emails[owner] ?? [], phones = known.phones[owner] ?? []
            switch plan.mailing {
            case .email: c.address = emails.first; c.channel = .email
            case .sms: c.address = phones.first; c.channel = .sms
            case .emailOrSms:
                if let email = emails.first { c.address = email; c.channel = .email } else { c.address = phones.first; c.channel = .sms }
            }
            if known.partners[partnerID]?.deleted == true || personID.flatMap({ known.people[$0]?.deleted }) == true { c.excluded = .markedForDeletion }
            else if known.stopListed.contains(partnerID) { c.excluded = .stopList }
            else if c.address == nil { c.excluded = .noAddress }
            judge(&c)
        }

        private mutating func judge(_ c: inout Candidate) {
            if c.excluded == nil, let address = c.address {
                if known.unsubscribed.contains(address) { c.excluded = .unsubscribed }
                else if !seenAddresses.insert(address).inserted { c.excluded = .duplicateAddress }
                else { c.addressKey = address }
            }
            result.append(c)
        }
    }
}
