import Fluent
import Foundation
import SdelkaCore
import Vapor

/// Who is calling (DOMAIN.md §3): a phone number in any format matched against the normalised
/// phones of partners, their counterparties and contact persons the user may see.
struct CallerDTO: Content, Equatable {
    struct Match: Content, Equatable {
        var partnerId: UUID
        var partnerName: String
        var contactPersonId: UUID?
        var contactPersonName: String?
    }

    var phone: String
    var matches: [Match]

    static func find(_ phone: String, scope: AccessScope, on db: any Database) async throws -> CallerDTO {
        let normalized = Phone.normalize(phone)
        guard normalized.count >= 5 else { throw FieldErrors("phone", "is not a phone number") }
        let details = try await ContactDetail.query(on: db).filter(\.$normalized == normalized)
            .filter(\.$type ~~ [.phone, .fax]).all()
        let partners = try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ Set(details.map(\.partnerID)))
            .filter(\.$deletionMark == false).all()
        let names = Dictionary(uniqueKeysWithValues: try partners.map { (try $0.requireID(), $0.name) })
        let people = try await ContactPerson.names(of: details.filter { $0.ownerType == .contactPerson }.map(\.ownerID), scope: scope, on: db)
        var seen = Set<String>(), matches: [Match] = []
        for d in details {
            guard let name = names[d.partnerID] else { continue }
            let person = d.ownerType == .contactPerson ? d.ownerID : nil
            guard seen.insert("\(d.partnerID)/\(person?.uuidString ?? "")").inserted else { continue }
            matches.append(Match(partnerId: d.partnerID, partnerName: name, contactPersonId: person, contactPersonName: person.flatMap { people[$0] }))
        }
        matches.sort { ($0.partnerName, $0.contactPersonName ?? "") < ($1.partnerName, $1.contactPersonName ?? "") }
        return CallerDTO(phone: Phone.display(normalized), matches: matches)
    }
}
