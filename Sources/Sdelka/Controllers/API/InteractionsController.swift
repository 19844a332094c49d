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
        RecordResource<InteractionService>.register(on: group)
        group.post("bulk", use: bulk)
        group.get("caller", use: caller)
        group.get(":id", "attachments", ":attachmentId", use: attachment)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<InteractionDTO> {
        let service = try await req.service(InteractionService.self)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(InteractionQueries.query(try InteractionQueries.filter(req), scope: service.scope, userID: service.author.userID, on: req.db))
        return PageDTO(items: try await service.dtos(rows), total: total, page: page.page, per: page.per)
    }

    /// `GET /api/v1/interactions/{id}/attachments/{attachmentId}`: the file as it was sent or
    /// received, offered for download under its own name.
    @Sendable static func attachment(req: Request) async throws -> Response {
        let file = try await req.service(InteractionService.self).attachment(req.idParameter("attachmentId"), of: req.idParameter())
        return AttachmentResponse.make(filename: file.filename, contentType: file.contentType, data: file.data)
    }

    /// `GET /api/v1/interactions/caller?phone=`: the partners and contact persons with this number.
    @Sendable static func caller(req: Request) async throws -> CallerDTO {
        guard let phone = req.text("phone") else { throw APIError.validation("phone", "is required") }
        return try await CallerDTO.find(phone, scope: try await req.accessScope(), on: req.db)
    }


    /// One action on up to 500 interactions the user may see; each change is audited.
    @Sendable static func bulk(req: Request) async throws -> InteractionBulkResult {
        try req.require(.editRecords)
        let body = try req.content.decode(InteractionBulkInput.self)
        return InteractionBulkResult(updated: try await req.service(InteractionService.self).bulk(body))
    }
}
