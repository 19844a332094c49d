import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/mailings`, `/api/v1/mailing-topics` and the subscriptions of partners and contact
/// persons, behind the `mailings` switch (ARCHITECTURE.md "Wave 2 contract").
enum MailingsController {
    static func register(on routes: any RoutesBuilder) {
        let mailings = routes.grouped("mailings")
        mailings.get(use: index)
        RecordResource<MailingService>.register(on: mailings)
        mailings.post(":id", "preview", use: preview)
        mailings.post(":id", "schedule", use: schedule)
        mailings.post(":id", "cancel", use: cancel)
        mailings.post(":id", "pause", use: pause)
        mailings.post(":id", "resume", use: resume)
        mailings.get(":id", "recipients", use: recipients)
        routes.get("reports", "mailings", ":id", use: results)
        CatalogController<MailingTopic>(path: "mailing-topics").register(on: routes)
        routes.get("partners", ":id", "subscriptions", use: partnerSubscriptions)
        routes.put("partners", ":id", "subscriptions", use: replacePartnerSubscriptions)
        routes.get("contact-persons", ":id", "subscriptions", use: personSubscriptions)
        routes.put("contact-persons", ":id", "subscriptions", use: replacePersonSubscriptions)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<MailingDTO> {
        var params = QueryParameters(req)
        let status = params.oneOf("status", Mailing.Status.self)
        let mode = params.oneOf("mode", Mailing.Mode.self)
        try params.check()
        let service = try await req.service(MailingService.self)
        let query = service.list(q: req.text("q"), status: status, mode: mode, includeDeleted: req.flag("includeDeleted"))
        let pageRequest = try PageRequest(req)
        let (total, rows) = try await pageRequest.rows(query)
        return PageDTO(items: try await service.dtos(rows), total: total, page: pageRequest.page, per: pageRequest.per)
    }

    @Sendable static func preview(req: Request) async throws -> MailingPreviewDTO {
        struct Body: Content { var partnerId: UUID? }
        let (mailing, service) = try await req.record(MailingService.self)
        let body = req.body.data == nil ? Body() : try req.content.decode(Body.self)
        return try await MailingReview(context: service.context).preview(mailing, partnerID: body.partnerId, base: req.siteBase)
    }

    @Sendable static func schedule(req: Request) async throws -> MailingDTO {
        try await act(req) { try await $1.schedule($0, expectedVersion: $2, linkBase: req.siteBase) }
    }

    @Sendable static func cancel(req: Request) async throws -> MailingDTO {
        try await act(req) { try await $1.cancel($0, expectedVersion: $2) }
    }

    @Sendable static func pause(req: Request) async throws -> MailingDTO {
        try await act(req) { try await $1.pause($0, expectedVersion: $2) }
    }

    @Sendable static func resume(req: Request) async throws -> MailingDTO {
        try await act(req) { try await $1.resume($0, expectedVersion: $2) }
    }

    private static func act(_ req: Request, _ action: (Mailing, MailingService, Int?) async throws -> Void) async throws -> MailingDTO {
        try req.require(MailingService.editPermission)
        let (mailing, service) = try await req.record(MailingService.self)
        try await action(mailing, service, req.query[Int.self, at: "version"])
        return try await service.dto(mailing)
    }

    @Sendable static func recipients(req: Request) async throws -> PageDTO<MailingRecipientDTO> {
        var params = QueryParameters(req)
        let status = params.oneOf("status", MailingRecipient.Status.self)
        try params.check()
        let (mailing, service) = try await req.record(MailingService.self)
        return try await PageRequest(req).fetch(try MailingReview(context: service.context).recipients(mailing, status: status)) { try MailingRecipientDTO($0) }
    }

    @Sendable static func results(req: Request) async throws -> MailingResultsDTO {
        var params = QueryParameters(req)
        let days = params.int("days", in: 1...366) ?? 30
        try params.check()
        let (mailing, service) = try await req.record(MailingService.self)
        return try await MailingReview(context: service.context).results(mailing, days: days)
    }

    @Sendable static func partnerSubscriptions(req: Request) async throws -> [SubscriptionDTO] {
        let (partner, _) = try await req.record(PartnerService.self)
        return try await SubscriptionService(try await req.serviceContext()).list(.partner(partner))
    }

    @Sendable static func replacePartnerSubscriptions(req: Request) async throws -> [SubscriptionDTO] {
        try req.require(.editRecords)
        let (partner, _) = try await req.record(PartnerService.self)
        return try await SubscriptionService(try await req.serviceContext()).replace(.partner(partner), with: try req.content.decode([SubscriptionDTO].self))
    }

    @Sendable static func personSubscriptions(req: Request) async throws -> [SubscriptionDTO] {
        let (person, _) = try await req.record(ContactPersonService.self)
        return try await SubscriptionService(try await req.serviceContext()).list(.contactPerson(person))
    }

    @Sendable static func replacePersonSubscriptions(req: Request) async throws -> [SubscriptionDTO] {
        try req.require(.editRecords)
        let (person, _) = try await req.record(ContactPersonService.self)
        return try await SubscriptionService(try await req.serviceContext()).replace(.contactPerson(person), with: try req.content.decode([SubscriptionDTO].self))
    }
}
