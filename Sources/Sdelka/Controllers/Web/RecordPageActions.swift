import SdelkaCore
import Vapor

/// The web form's "mark for deletion" and "restore" buttons for any record type with a
/// `RecordService`: the same service call as the API, then back to the record's page with a
/// confirmation naming it.
enum RecordPageActions<S: RecordService> where S.DTO: RecordRepresentation {
    static func register(on group: any RoutesBuilder, page: @escaping @Sendable (UUID) -> String) {
        group.post(":id", SiteAction.delete.component) { req in try await mark(req, true, page: page) }
        group.post(":id", SiteAction.restore.component) { req in try await mark(req, false, page: page) }
    }

    static func mark(_ req: Request, _ mark: Bool, page: (UUID) -> String) async throws -> Response {
        try req.require(S.editPermission)
        let service: S = try await req.service()
        let dto = try await service.setDeletionMark(of: req.idParameter(), to: mark,
                                                    expectedVersion: mark ? req.query[Int.self, at: "version"] : nil)
        return mark ? WebPage.markedDeleted(req, to: page(dto.id), name: dto.title)
                    : WebPage.restored(req, to: page(dto.id), name: dto.title)
    }

    /// A button on a record's card (start a survey, schedule a mailing…): the action on the
    /// record named by `:id`, then back to its page with what `body` says, or with why it was
    /// refused (a missing or hidden record stays a 404/403).
    static func act(_ req: Request, section: Site, _ body: (S.Record, S) async throws -> String) async throws -> Response {
        try req.require(S.editPermission)
        let (record, service) = try await req.record(S.self)
        let back = section.path(try record.requireID())
        do {
            return WebPage.redirect(req, to: back, flash: try await body(record, service))
        } catch {
            guard let failure = APIError(answering: error), failure.status != .notFound, failure.status != .forbidden else { throw error }
            return WebPage.redirect(req, to: back, flash: failure.fields.map { FormErrors.flash($0, req) } ?? failure.message)
        }
    }
}

/// What a record's form shows of the stored record: its representation, as the API gives it,
/// and its last changes from the audit log; nothing for a new record.
struct StoredRecord<S: RecordService> {
    var dto: S.DTO?
    var history: [AuditPages.Row] = []

    static func load(_ record: S.Record?, service: S, req: Request) async throws -> Self {
        guard let record else { return Self(dto: nil) }
        return Self(dto: try await service.dto(record),
                    history: try await AuditPages.history(of: S.Record.objectType, id: record.requireID(), req: req))
    }
}

extension StoredRecord {
    var pair: (S.DTO?, [AuditPages.Row]) { (dto, history) }
}
