import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Duplicate search before a partner is saved (DOMAIN.md §1): same INN, same normalised phone
/// or e-mail, or a name equal after normalisation. It proposes; the user decides.
enum PartnerDuplicates {
    struct Draft: Content {
        var name: String?
        var inn: String?
        var contacts: [ContactDTO]?
        /// When checking an existing partner, leave it out of its own candidates.
        var excludeId: UUID?
    }

    struct Candidate: Content, Equatable {
        var id: UUID
        var name: String
        var reasons: [String]
    }

    struct Answer: Content {
        var candidates: [Candidate]
    }

    static let limit = 20

    static func find(_ draft: Draft, scope: AccessScope, on db: any Database) async throws -> [Candidate] {
        var reasons: [UUID: Set<String>] = [:]
        func add(_ ids: [UUID], _ reason: String) { for id in ids { reasons[id, default: []].insert(reason) } }

        if let name = draft.name, !PartnerName.key(name).isEmpty {
            add(try await PartnerQueries.scoped(scope, on: db).filter(\.$nameKey == PartnerName.key(name))
                .limit(limit).all(\.$id), "name")
        }
        if let inn = draft.inn?.trimmingCharacters(in: .whitespaces), !inn.isEmpty {
            add(try await CounterpartyQueries.scoped(scope, on: db).filter(\.$inn == inn)
                .limit(limit).all(\.$partnerID), "inn")
        }
        let contacts = draft.contacts ?? []
        for (type, reason) in [([ContactDetail.DetailType.phone, .fax], "phone"), ([.email], "email")] {
            let values = contacts.compactMap { contact -> String? in
                guard let kind = ContactDetail.DetailType(rawValue: contact.type), type.contains(kind) else { return nil }
                let normalized = ContactDetail.normalize(contact.value, type: kind)
                return normalized.isEmpty ? nil : normalized
            }
            guard !values.isEmpty else { continue }
            let owners = try await ContactDetail.query(on: db)
                .filter(\.$type ~~ type).filter(\.$normalized ~~ values).limit(limit * 4).all(\.$partnerID)
            // The access rule applies to what is proposed, too.
            add(try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ owners).all(\.$id), reason)
        }
        if let exclude = draft.excludeId { reasons[exclude] = nil }
        guard !reasons.isEmpty else { return [] }
        let partners = try await PartnerQueries.scoped(scope, on: db)
            .filter(\.$id ~~ Array(reasons.keys)).filter(\.$deletionMark == false).all()
        let order = ["inn", "phone", "email", "name"]
        return try partners.map { partner in
            let why = reasons[try partner.requireID(), default: []]
            return Candidate(id: try partner.requireID(), name: partner.name,
                             reasons: order.filter(why.contains))
        }
        .sorted { ($0.reasons.count, $1.name) > ($1.reasons.count, $0.name) }
        .prefix(limit).map { $0 }
    }
}
