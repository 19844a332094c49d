import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Which topics each address of a partner or contact person receives (no row: subscribed).
/// Every change lands in the owner's history, and every later mailing reads it.
struct SubscriptionService: Sendable {
    let db: any Database
    let author: ChangeAuthor

    init(db: any Database, author: ChangeAuthor) {
        self.db = db
        self.author = author
    }

    init(_ context: ServiceContext) { self.init(db: context.db, author: context.author) }

    enum Owner: Sendable {
        case partner(Partner)
        case contactPerson(ContactPerson)

        var partnerID: UUID { switch self { case .partner(let p): p.id ?? UUID(); case .contactPerson(let c): c.partnerID } }
        var personID: UUID? { if case .contactPerson(let c) = self { c.id } else { nil } }
        var ownerID: UUID { switch self { case .partner(let p): p.id ?? UUID(); case .contactPerson(let c): c.id ?? UUID() } }
        var detailOwner: ContactDetail.OwnerType { personID == nil ? .partner : .contactPerson }
        var objectType: String { personID == nil ? Partner.objectType : ContactPerson.objectType }
    }

    /// The owner's e-mails and phones (normalised, in their order) by every live topic.
    func list(_ owner: Owner) async throws -> [SubscriptionDTO] {
        try await lists([owner])[owner.ownerID] ?? []
    }

    /// The same for several owners of one partner (it and its contact persons) in three queries.
    func lists(_ owners: [Owner]) async throws -> [UUID: [SubscriptionDTO]] {
        let byOwner = try await addressMap(owners)
        let topics = try await MailingTopic.query(on: db).filter(\.$deletionMark == false).sort(\.$name).all()
        let stored = try await stored(Array(Set(byOwner.values.joined())))
        var result: [UUID: [SubscriptionDTO]] = [:]
        for owner in owners {
            result[owner.ownerID] = try Self.items(byOwner[owner.ownerID] ?? [], topics: topics, stored: stored)
        }
        return result
    }

    private static func items(_ addresses: [String], topics: [MailingTopic], stored: [Key: Bool]) throws -> [SubscriptionDTO] {
        try addresses.flatMap { address in
            try topics.map { topic in
                let id = try topic.requireID()
                return SubscriptionDTO(address: address, topicId: id, subscribed: stored[Key(address: address, topic: id)] ?? true,
                                       unsubscribable: topic.isUnsubscribable)
            }
        }
    }

    /// Sets what is sent; an address must be the owner's, a topic must exist, and service
    /// notices cannot be turned off.
    func replace(_ owner: Owner, with items: [SubscriptionDTO]) async throws -> [SubscriptionDTO] {
        let addresses = Set(try await addresses(of: owner))
        let topics = Dictionary(try await MailingTopic.query(on: db).filter(\.$deletionMark == false).all().map { (try $0.requireID(), $0) },
                                uniquingKeysWith: { a, _ in a })
        var errors = FieldErrors()
        var changes: [(address: String, topic: UUID, subscribed: Bool)] = []
        for (index, item) in items.enumerated() {
            let address = Self.normalize(item.address)
            if !addresses.contains(address) { errors.add("\(index).address", "is not an e-mail or phone of this \(owner.personID == nil ? "partner" : "contact person")") }
            guard let topic = topics[item.topicId] else { errors.add("\(index).topicId", "names a mailing topic that does not exist"); continue }
            if !item.subscribed, !topic.isUnsubscribable { errors.add("\(index).subscribed", "cannot be false: «\(topic.name)» is a service topic") }
            changes.append((address, item.topicId, item.subscribed))
        }
        try errors.check()
        try await set(changes, partnerID: owner.partnerID, personID: owner.personID, source: "user:" + (author.userID?.uuidString ?? "system"),
                      history: (owner.objectType, owner.ownerID), topics: topics)
        return try await list(owner)
    }

    /// Writes the choices that differ from what is stored, with one line in the history.
    func set(_ changes: [(address: String, topic: UUID, subscribed: Bool)], partnerID: UUID?, personID: UUID?, source: String,
             history: (objectType: String, id: UUID)?, topics: [UUID: MailingTopic]) async throws {
        let stored = try await stored(Array(Set(changes.map(\.address))))
        let real = changes.filter { (stored[Key(address: $0.address, topic: $0.topic)] ?? true) != $0.subscribed }
        guard !real.isEmpty else { return }
        let now = Date()
        let rows: [[JSONRowsInsert.Cell]] = real.map {
            [.uuid(TimeOrderedID.make()), .text($0.address), .uuid($0.topic), .bool($0.subscribed), .uuid(partnerID), .uuid(personID), .text(source), .timestamp(now)]
        }
        let author = self.author
        try await db.writeTransaction { tx in
            try await Self.upsert.run(rows, on: tx.sql)
            guard let history else { return }
            let fieldChanges = real.map { c in
                FieldChange(field: "subscription «\(topics[c.topic]?.name ?? c.topic.uuidString)» \(c.address)",
                            old: .bool(!c.subscribed), new: .bool(c.subscribed))
            }
            try await Audit.record(.update, objectType: history.objectType, objectID: history.id.uuidString, changes: fieldChanges, by: author, on: tx)
        }
    }

    static let upsert = JSONRowsInsert(
        table: Subscription.schema,
        columns: [("id", .uuid), ("address", .text), ("topic_id", .uuid), ("subscribed", .bool), ("partner_id", .uuid), ("contact_person_id", .uuid),
                  ("source", .text), ("changed_at", .timestamp)],
        conflict: .init(target: ["address", "topic_id"], update: ["subscribed", "partner_id", "contact_person_id", "source", "changed_at"], bumpVersion: false))

    static func normalize(_ address: String) -> String {
        ContactDetail.normalize(address, type: address.contains("@") ? .email : .phone)
    }

    struct Key: Hashable { var address: String; var topic: UUID }

    func stored(_ addresses: [String]) async throws -> [Key: Bool] {
        guard !addresses.isEmpty else { return [:] }
        let rows = try await Subscription.query(on: db).filter(\.$address ~~ addresses).all()
        return Dictionary(rows.map { (Key(address: $0.address, topic: $0.topicID), $0.subscribed) }, uniquingKeysWith: { a, _ in a })
    }

    private func addresses(of owner: Owner) async throws -> [String] {
        try await addressMap([owner])[owner.ownerID] ?? []
    }

    /// Each owner's e-mails and phones, normalised, in their order, once each.
    private func addressMap(_ owners: [Owner]) async throws -> [UUID: [String]] {
        guard let partner = owners.first?.partnerID else { return [:] }
        let details = try await ContactDetail.query(on: db).filter(\.$partnerID == partner)
            .filter(\.$ownerID ~~ owners.map(\.ownerID)).filter(\.$type ~~ [.email, .phone]).sort(\.$position).all()
        return Dictionary(grouping: details, by: \.ownerID).mapValues { rows in
            var seen = Set<String>()
            return rows.map(\.normalized).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
    }
}

/// The recipient's own link (`/u/{token}`): it names the address, the partner and the mailing,
/// and it unsubscribes from the mailing's topic (or from the topics chosen on the page).
struct UnsubscribeLink: Sendable {
    let recipient: MailingRecipient
    let mailing: Mailing
    let topic: MailingTopic?

    static func find(_ token: String, on db: any Database) async throws -> UnsubscribeLink? {
        guard (16...64).contains(token.count),
              let recipient = try await MailingRecipient.query(on: db).filter(\.$token == token).first(),
              recipient.address != nil,
              let mailing = try await Mailing.find(recipient.mailingID, on: db) else { return nil }
        return UnsubscribeLink(recipient: recipient, mailing: mailing, topic: try await mailing.topicID.asyncFlatMap { try await MailingTopic.find($0, on: db) })
    }

    /// Topics this address may leave, by name.
    func unsubscribableTopics(on db: any Database) async throws -> [MailingTopic] {
        try await MailingTopic.query(on: db).filter(\.$deletionMark == false).filter(\.$isUnsubscribable == true).sort(\.$name).all()
    }

    /// Unsubscribes the address from `topics` (the mailing's topic when none are named);
    /// answers the names of the topics it left.
    @discardableResult
    func unsubscribe(from topics: [UUID]? = nil, how: String, on db: any Database, author: ChangeAuthor) async throws -> [String] {
        guard let address = recipient.address else { return [] }
        let all = Dictionary(try await unsubscribableTopics(on: db).map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        let chosen = (topics ?? [mailing.topicID].compactMap { $0 }).filter { all[$0] != nil }
        let history: (String, UUID)? = recipient.partnerID.map { (Partner.objectType, $0) }
            ?? recipient.contactPersonID.map { (ContactPerson.objectType, $0) }
        try await SubscriptionService(db: db, author: author).set(chosen.map { (address, $0, false) }, partnerID: recipient.partnerID,
                                                            personID: recipient.contactPersonID,
                                                            source: "mailing:" + (try mailing.requireID()).uuidString + ":" + how,
                                                            history: history, topics: all)
        return chosen.compactMap { all[$0]?.name }
    }
}
