import Fluent
import Foundation
import Vapor

/// `POST /api/v1/inbound/email`: a raw RFC 822 message from a mail server's pipe or an
/// inbound webhook, presented with the secret `SDELKA_INBOUND_TOKEN` (or a user's bearer
/// token); 201 with the interaction registered, 200 with the one registered before when the
/// same letter comes again. Unknown senders: `GET /api/v1/inbound/unknown-senders` and
/// `POST /api/v1/inbound/unknown-senders/link`.
enum InboundMailController {

    static func register(api: any RoutesBuilder, authenticated: any RoutesBuilder) {
        api.grouped(BearerTokenAuthenticator()).on(.POST, "inbound", "email", body: .collect(maxSize: "40mb"), use: receive)
        let senders = authenticated.grouped("inbound", "unknown-senders")
        senders.get(use: unknownSenders)
        senders.post("link", use: link)
    }

    @Sendable static func receive(req: Request) async throws -> Response {
        let service = try await inboundService(req)
        guard let body = req.body.data, body.readableBytes > 0 else { throw APIError.validation("message", "is required: the raw RFC 822 letter as the body") }
        let result = try await InboundMail(service: service).register(Array(body.readableBytesView))
        if result.duplicate, try await service.scoped().filter(\.$id == result.interaction.requireID()).count() == 0 {
            // Registered before and out of this user's sight: said, not shown.
            return try await Duplicate(duplicate: true).encodeResponse(status: .ok, for: req)
        }
        return try await service.dto(result.interaction).encodeResponse(status: result.duplicate ? .ok : .created, for: req)
    }

    struct Duplicate: Content { var duplicate: Bool }

    /// The inbound secret opens this endpoint only, for the mail system as a whole; a user's
    /// token registers the letter in that user's name and sight.
    static func inboundService(_ req: Request) async throws -> InteractionService {
        if let secret = req.application.sdelka.inboundToken, let given = req.headers.bearerAuthorization?.token, CSRF.same(given, secret) {
            return InteractionService(db: req.db, author: InboundMail.author, scope: .all)
        }
        try req.require(.editRecords)
        return try await req.service(InteractionService.self)
    }

    @Sendable static func unknownSenders(req: Request) async throws -> PageDTO<UnknownSenders.SenderDTO> {
        try await UnknownSenders.list(page: try PageRequest(req), scope: try await req.accessScope(), userID: try req.user.id, on: req.db)
    }

    struct LinkResult: Content { var updated: Int }

    @Sendable static func link(req: Request) async throws -> LinkResult {
        try req.require(.editRecords)
        let input = try req.content.decode(UnknownSenders.LinkInput.self)
        return LinkResult(updated: try await UnknownSenders.link(input, service: try await req.service(InteractionService.self)))
    }
}
