import Fluent
import Vapor

/// Contact information of any owner (partner, counterparty, contact person), written as a
/// whole list: the form and the API both send the full list.
enum ContactStore {
    static func replace(_ ownerType: ContactDetail.OwnerType, ownerID: UUID, partnerID: UUID,
                        with contacts: [ContactDTO], on db: any Database) async throws {
        try await ContactDetail.query(on: db).filter(\.$ownerType == ownerType).filter(\.$ownerID == ownerID).delete()
        for (position, contact) in contacts.enumerated() {
            guard let type = ContactDetail.DetailType(rawValue: contact.type) else { continue }
            let detail = ContactDetail()
            detail.ownerType = ownerType
            detail.ownerID = ownerID
            detail.partnerID = partnerID
            detail.position = position
            detail.type = type
            detail.kind = contact.kind
            detail.value = contact.value.trimmingCharacters(in: .whitespacesAndNewlines)
            detail.normalized = ContactDetail.normalize(detail.value, type: type)
            detail.validFrom = contact.validFrom.flatMap { $0.isEmpty ? nil : $0 }
            try await detail.create(on: db)
        }
    }

    /// The lists of many owners in one query, by owner.
    static func lists(_ ownerType: ContactDetail.OwnerType, ownerIDs: [UUID], on db: any Database) async throws -> [UUID: [ContactDetail]] {
        let rows = try await ContactDetail.query(on: db)
            .filter(\.$ownerType == ownerType).filter(\.$ownerID ~~ ownerIDs).all()
        return Dictionary(grouping: rows, by: \.ownerID)
    }
}
