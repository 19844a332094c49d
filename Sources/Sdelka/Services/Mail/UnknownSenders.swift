import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Letters from addresses no partner or contact person has (DOMAIN.md §3): listed by sender,
/// to be registered as a new partner (with a primary-interest record) or attached to an
/// existing one, which moves all that sender's letters onto it.
enum UnknownSenders {
    struct SenderDTO: Content, Equatable {
        var address: String
        var name: String?
        var letters: Int
        var lastAt: Date
        var lastTopic: String
    }

    /// Senders with letters that belong to no partner, the latest first: all of them for those
    /// who see every partner, else the letters the user is the responsible or author of
    /// (DOMAIN.md §9: a record without a group is not everyone's).
    static func list(page: PageRequest, scope: AccessScope, userID: UUID, on db: any Database) async throws -> PageDTO<SenderDTO> {
        var unattached: SQLQueryString = """
             FROM interactions i JOIN interaction_participants p ON p.interaction_id = i.id AND p.position = 0
            WHERE p.address IS NOT NULL AND i.type = \(bind: Interaction.Kind.email.rawValue) AND i.incoming = \(bind: true)
              AND i.partner_id IS NULL AND i.deletion_mark = \(bind: false)
            """
        if scope != .all { unattached = unattached + " AND (i.responsible_id = \(bind: userID) OR i.author_id = \(bind: userID))" }
        struct Total: Decodable { var n: Int }
        let total = try await db.sql.raw("SELECT COUNT(DISTINCT p.address) AS n" + unattached).first(decoding: Total.self)?.n ?? 0
        struct Row: Decodable { var address: String; var name: String?; var letters: Int; var last_at: Date }
        let rows = try await db.sql.raw("SELECT p.address AS address, MAX(p.name) AS name, COUNT(*) AS letters, MAX(i.occurred_at) AS last_at"
            + unattached + " GROUP BY p.address ORDER BY MAX(i.occurred_at) DESC, p.address LIMIT \(bind: page.per) OFFSET \(bind: page.offset)")
            .all(decoding: Row.self)
        // The topic of each sender's latest letter.
        struct Topic: Decodable { var address: String; var topic: String }
        var topics: [String: String] = [:]
        if !rows.isEmpty {
            for row in try await db.sql.raw("SELECT p.address AS address, i.topic AS topic" + unattached
                + " AND p.address IN (\(binds: rows.map(\.address))) ORDER BY i.occurred_at DESC").all(decoding: Topic.self) where topics[row.address] == nil {
                topics[row.address] = row.topic
            }
        }
        let items = rows.map { SenderDTO(address: $0.address, name: $0.name, letters: $0.letters, lastAt: $0.last_at, lastTopic: topics[$0.address] ?? "") }
        return PageDTO(items: items, total: total, page: page.page, per: page.per)
    }

    struct LinkInput: Content {
        var address: String
        var partnerId: UUID
        var contactPersonId: UUID?
    }

    /// Puts every unattached letter from `address` on the partner (and contact person), each
    /// change audited like an edit; answers how many.
    static func link(_ input: LinkInput, service: InteractionService) async throws -> Int {
        let address = input.address.trimmingCharacters(in: .whitespaces).lowercased()
        guard !address.isEmpty else { throw FieldErrors("address", "is required") }
        let letters = try await service.scoped().filter(\.$type == .email).filter(\.$incoming == true)
            .filter(\.$partnerID == nil).filter(\.$deletionMark == false)
            .filter(.custom(SQLPredicates.idIn(Interaction.schema, InteractionParticipant.schema, select: "interaction_id",
                                               where: "address", .equal, address)))
            .all()
        guard try await PartnerQueries.scoped(service.scope, on: service.db).filter(\.$id == input.partnerId).filter(\.$deletionMark == false).count() > 0 else {
            throw FieldErrors("partnerId", "names a partner that does not exist")
        }
        if let person = input.contactPersonId,
           try await ContactPerson.query(on: service.db).filter(\.$id == person).filter(\.$partnerID == input.partnerId).count() == 0 {
            throw FieldErrors("contactPersonId", "is not a contact person of this partner")
        }
        return try await service.db.writeTransaction { tx in
            var linked = 0
            let inside = InteractionService(db: tx, author: service.author, scope: service.scope, smsGateway: service.smsGateway, mailFrom: service.mailFrom)
            // The participants of all of them in one read, not one per letter.
            for (letter, dto) in zip(letters, try await inside.dtos(letters)) {
                var participants = dto.participants
                guard let first = participants.first, first.address == address, first.partnerId == nil else { continue }
                participants[0].partnerId = input.partnerId
                participants[0].contactPersonId = input.contactPersonId
                var change = InteractionInput()
                change.participants = participants
                try await inside.update(letter, with: change)
                linked += 1
            }
            return linked
        }
    }
}
