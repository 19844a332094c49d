import Fluent
import SdelkaCore
import Vapor

/// The checks every participant list shares (marketing events, deals): each partner exists,
/// is not marked and is visible to the user; a contact person given belongs to that partner.
/// Errors are keyed `participants.N.partnerId` / `participants.N.contactPersonId`.
enum ParticipantChecks {
    static func check(_ participants: [(partnerID: UUID, contactPersonID: UUID?)], scope: AccessScope,
                      on db: any Database, into errors: inout FieldErrors) async throws {
        guard !participants.isEmpty else { return }
        let visible = Set(try await PartnerQueries.scoped(scope, on: db)
            .filter(\.$id ~~ Set(participants.map(\.partnerID))).filter(\.$deletionMark == false).all(\.$id))
        let owners = try await ContactPerson.query(on: db).filter(\.$id ~~ Set(participants.compactMap(\.contactPersonID))).all()
        let ownerOf = Dictionary(uniqueKeysWithValues: try owners.map { (try $0.requireID(), $0.partnerID) })
        for (index, participant) in participants.enumerated() {
            if !visible.contains(participant.partnerID) {
                errors.add("participants.\(index).partnerId", "names a partner that does not exist")
            } else if let person = participant.contactPersonID, ownerOf[person] != participant.partnerID {
                errors.add("participants.\(index).contactPersonId", "is not a contact person of this partner")
            }
        }
    }
}
