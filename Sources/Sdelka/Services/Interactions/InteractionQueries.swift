import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// The journal's filters as SQL, seen through `InteractionService.scoped`: the API, the pages,
/// the partner card and the dossier list interactions here.
enum InteractionQueries {
    struct Filter: Sendable {
        var reviewed: Bool?
        var reviewDue = false
        var type: Interaction.Kind?
        var partnerID: UUID?
        var contactPersonID: UUID?
        var subject: InteractionSubjectDTO?
        var responsibleID: UUID?
        var from: Date?
        var to: Date?
        var q: String?
        var today: CalendarDate
        var includeDeleted = false
    }

    /// Newest first. Every filter of the workplace is served by an index (M020).
    static func query(_ filter: Filter, scope: AccessScope, userID: UUID?, on db: any Database) -> QueryBuilder<Interaction> {
        let query = InteractionQueries.scoped(scope, userID: userID, on: db)
        if !filter.includeDeleted { query.filter(\.$deletionMark == false) }
        if let value = filter.reviewed { query.filter(\.$reviewed == value) }
        if filter.reviewDue { query.filter(\.$reviewed == false).filter(\.$reviewAfter <= filter.today.description) }
        if let value = filter.type { query.filter(\.$type == value) }
        if let value = filter.responsibleID { query.filter(\.$responsibleID == value) }
        if let subject = filter.subject { query.filter(\.$subjectType == subject.type).filter(\.$subjectID == subject.id) }
        if let from = filter.from { query.filter(\.$occurredAt >= from) }
        if let to = filter.to { query.filter(\.$occurredAt < to) }
        if let q = filter.q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        for (column, value) in [("partner_id", filter.partnerID), ("contact_person_id", filter.contactPersonID)] {
            guard let value else { continue }
            query.filter(.custom(SQLPredicates.idIn(Interaction.schema, InteractionParticipant.schema, select: "interaction_id",
                                                    where: column, .equal, value)))
        }
        return query.sort(\.$occurredAt, .descending).sort(\.$id, .descending)
    }
}

extension InteractionQueries {
    static func scoped(_ scope: AccessScope, userID: UUID?, on db: any Database) -> QueryBuilder<Interaction> {
        let query = Interaction.query(on: db)
        guard let visible = scope.partnerVisible(SQLColumn(SQLIdentifier("partner_id"), table: SQLIdentifier(Interaction.schema))) else { return query }
        return query.group(.or) { either in
            either.filter(.custom(visible))
            if let userID {
                either.group(.and) { own in
                    own.filter(\.$partnerID == nil).group(.or) { $0.filter(\.$authorID == userID).filter(\.$responsibleID == userID) }
                }
            }
        }
    }
}
