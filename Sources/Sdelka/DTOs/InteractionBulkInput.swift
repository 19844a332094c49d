import Foundation
import Vapor

/// `POST /api/v1/interactions/bulk`: one action on many interactions.
struct InteractionBulkInput: Content {
    enum Action: String, Codable, CaseIterable, Sendable { case markReviewed, markUnreviewed, postpone, setSubject, setResponsible }
    var ids: [UUID]
    var action: Action
    var reviewAfter: String?
    var subject: InteractionSubjectDTO?
    var responsibleId: UUID?
}

struct InteractionBulkResult: Content { var updated: Int }
