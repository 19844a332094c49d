import Fluent
import Foundation
import SdelkaCore

extension InteractionService {
    /// One action on up to 500 interactions the user may see, all or none; each change is audited.
    func bulk(_ body: InteractionBulkInput) async throws -> Int {
        guard !body.ids.isEmpty, body.ids.count <= 500 else { throw FieldErrors("ids", "must list from 1 to 500 interactions") }
        var input = InteractionInput()
        switch body.action {
        case .markReviewed: input.reviewed = true
        case .markUnreviewed: input.reviewed = false
        case .postpone:
            guard let date = body.reviewAfter, CalendarDate(accepting: date) != nil else { throw FieldErrors("reviewAfter", CalendarDate.acceptedMessage) }
            input.reviewAfter = date
            input.reviewed = false
        case .setSubject:
            guard let subject = body.subject else { throw FieldErrors("subject", "is required") }
            input.subject = subject
        case .setResponsible:
            guard let user = body.responsibleId else { throw FieldErrors("responsibleId", "is required") }
            input.responsibleId = user
        }
        let found = try await scoped().filter(\.$id ~~ body.ids).filter(\.$deletionMark == false).all()
        guard found.count == Set(body.ids).count else { throw FieldErrors("ids", "names an interaction that does not exist") }
        // All or none: one transaction around the changes.
        let change = input
        try await db.writeTransaction { tx in
            let inside = InteractionService(db: tx, author: author, scope: scope)
            for interaction in found { try await inside.update(interaction, with: change) }
        }
        return found.count
    }
}

extension InteractionService {
    /// A file of an interaction the user may see, as it was sent or received.
    func attachment(_ id: UUID, of interactionID: UUID) async throws -> InteractionAttachment {
        let interaction = try await find(interactionID)
        guard let file = try await InteractionAttachment.query(on: db).filter(\.$id == id)
            .filter(\.$interactionID == (try interaction.requireID())).first() else { throw NotFound("attachment") }
        return file
    }
}

extension InteractionService: RecordService {
    static let noun = "interaction"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope,
                  smsGateway: context.config.smsGatewayURL != nil, mailFrom: context.config.smtp?.from)
    }

    func visible(_ id: UUID) async throws -> Interaction? {
        try await scoped().filter(\.$id == id).first()
    }

    func update(_ interaction: Interaction, with input: InteractionInput, clearing: Set<String>) async throws {
        try await update(interaction, with: input)
    }

    /// The chain the interaction belongs to is counted again with it marked or restored.
    func setDeletionMark(_ interaction: Interaction, to mark: Bool, expectedVersion: Int?) async throws {
        let stored = try await dto(interaction, masked: false)
        let writer = writer(stored.participants, stored.recipients, stored.attachments)
        let refresh: @Sendable (any Database) async throws -> Void = { tx in try await InteractionChains.refresh([stored.subject], on: tx) }
        try await writer.setDeletionMark(interaction, to: mark, expectedVersion: expectedVersion, extra: refresh)
    }
}
