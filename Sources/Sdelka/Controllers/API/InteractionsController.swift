import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `/api/v1/interactions`, behind the `interactions` switch: the journal and its workplace
/// filters, one interaction, and actions on many at once.
enum InteractionsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("interactions")
        group.get(use: index)
        group.post(use: create)
        group.post("bulk", use: bulk)
        group.get("caller", use: caller)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
        group.get(":id", "attachments", ":attachmentId", use: attachment)
    }

    static func filter(_ req: Request) throws -> InteractionQueries.Filter {
        var params = QueryParameters(req)
        let zone = req.application.sdelka.timeZone
        var filter = InteractionQueries.Filter(reviewed: params.bool("reviewed"), reviewDue: params.bool("reviewDue") ?? false,
                            type: params.oneOf("type", Interaction.Kind.self), partnerID: params.uuid("partnerId"),
                            contactPersonID: params.uuid("contactPersonId"), responsibleID: params.uuid("responsibleId"),
                            from: params.date("from")?.start(in: zone), to: params.date("to")?.next.start(in: zone), q: params.text("q"),
                            today: CalendarDate(Date(), in: zone), includeDeleted: req.flag("includeDeleted"))
        let subjectType = params.oneOf("subjectType", Interaction.SubjectType.self), subjectID = params.uuid("subjectId")
        if let subjectType, let subjectID { filter.subject = .init(type: subjectType, id: subjectID) }
        else if subjectType != nil || subjectID != nil { params.fail("subjectId", "needs subjectType and subjectId together") }
        try params.check()
        return filter
    }

    static func service(_ req: Request) async throws -> InteractionService {
        InteractionService(db: req.db, author: ChangeAuthor(try req.user), scope: try await req.accessScope(),
                           smsGateway: req.application.sdelka.smsGatewayURL != nil, mailFrom: req.application.sdelka.smtp?.from)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<InteractionDTO> {
        let service = try await service(req)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(InteractionQueries.query(try filter(req), scope: service.scope, userID: service.author.userID, on: req.db))
        return PageDTO(items: try await service.dtos(rows), total: total, page: page.page, per: page.per)
    }

    @Sendable static func show(req: Request) async throws -> InteractionDTO {
        let service = try await service(req)
        return try await service.dto(try await service.find(try req.idParameter()))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let service = try await service(req)
        let interaction = try await service.create(try req.content.decode(InteractionInput.self))
        return try await service.dto(interaction).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> InteractionDTO {
        try req.require(.editRecords)
        let service = try await service(req)
        let interaction = try await service.find(try req.idParameter())
        try await service.update(interaction, with: try req.content.decode(InteractionInput.self))
        return try await service.dto(interaction)
    }

    @Sendable static func markDeleted(req: Request) async throws -> InteractionDTO {
        try req.require(.editRecords)
        let service = try await service(req)
        let interaction = try await service.find(try req.idParameter())
        let dto = try await service.dto(interaction, masked: false)
        try await service.writer(dto.participants, dto.recipients, dto.attachments).markDeleted(interaction, expectedVersion: req.query[Int.self, at: "version"]) { tx in
            try await InteractionChains.refresh([dto.subject], on: tx)
        }
        return try await service.dto(interaction)
    }

    @Sendable static func restore(req: Request) async throws -> InteractionDTO {
        try req.require(.editRecords)
        let service = try await service(req)
        let interaction = try await service.find(try req.idParameter())
        let dto = try await service.dto(interaction, masked: false)
        try await service.writer(dto.participants, dto.recipients, dto.attachments).restore(interaction) { tx in
            try await InteractionChains.refresh([dto.subject], on: tx)
        }
        return try await service.dto(interaction)
    }

    /// `GET /api/v1/interactions/{id}/attachments/{attachmentId}`: the file as it was sent or
    /// received, offered for download under its own name.
    @Sendable static func attachment(req: Request) async throws -> Response {
        let interaction = try await service(req).find(try req.idParameter())
        guard let file = try await InteractionAttachment.query(on: req.db).filter(\.$id == (try req.idParameter("attachmentId")))
            .filter(\.$interactionID == (try interaction.requireID())).first() else { throw APIError.notFound("attachment") }
        return AttachmentResponse.make(filename: file.filename, contentType: file.contentType, data: file.data)
    }

    /// `GET /api/v1/interactions/caller?phone=`: the partners and contact persons with this number.
    @Sendable static func caller(req: Request) async throws -> CallerDTO {
        guard let phone = req.text("phone") else { throw APIError.validation("phone", "is required") }
        return try await CallerDTO.find(phone, scope: try await req.accessScope(), on: req.db)
    }

    struct BulkInput: Content {
        enum Action: String, Codable, CaseIterable, Sendable { case markReviewed, markUnreviewed, postpone, setSubject, setResponsible }
        var ids: [UUID]
        var action: Action
        var reviewAfter: String?
        var subject: InteractionSubjectDTO?
        var responsibleId: UUID?
    }

    struct BulkResult: Content { var updated: Int }

    /// One action on up to 500 interactions the user may see; each change is audited.
    @Sendable static func bulk(req: Request) async throws -> BulkResult {
        try req.require(.editRecords)
        let body = try req.content.decode(BulkInput.self)
        return BulkResult(updated: try await bulk(body, service: try await service(req)))
    }

    static func bulk(_ body: BulkInput, service: InteractionService) async throws -> Int {
        guard !body.ids.isEmpty, body.ids.count <= 500 else { throw APIError.validation("ids", "must list from 1 to 500 interactions") }
        var input = InteractionInput()
        switch body.action {
        case .markReviewed: input.reviewed = true
        case .markUnreviewed: input.reviewed = false
        case .postpone:
            guard let date = body.reviewAfter, CalendarDate(accepting: date) != nil else { throw APIError.validation("reviewAfter", CalendarDate.acceptedMessage) }
            input.reviewAfter = date
            input.reviewed = false
        case .setSubject:
            guard let subject = body.subject else { throw APIError.validation("subject", "is required") }
            input.subject = subject
        case .setResponsible:
            guard let user = body.responsibleId else { throw APIError.validation("responsibleId", "is required") }
            input.responsibleId = user
        }
        let found = try await service.scoped().filter(\.$id ~~ body.ids).filter(\.$deletionMark == false).all()
        guard found.count == Set(body.ids).count else { throw APIError.validation("ids", "names an interaction that does not exist") }
        // All or none: one transaction around the changes.
        let change = input
        try await service.db.writeTransaction { tx in
            let inside = InteractionService(db: tx, author: service.author, scope: service.scope)
            for interaction in found { try await inside.update(interaction, with: change) }
        }
        return found.count
    }
}
