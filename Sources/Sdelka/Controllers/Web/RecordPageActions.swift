import SdelkaCore
import Vapor

/// The web form's "mark for deletion" and "restore" buttons for any record type with a
/// `RecordService`: the same service call as the API, then back to the record's page with a
/// confirmation naming it.
enum RecordPageActions<S: RecordService> where S.DTO: RecordRepresentation {
    static func register(on group: any RoutesBuilder, page: @escaping @Sendable (UUID) -> String) {
        group.post(":id", "delete") { req in try await mark(req, true, page: page) }
        group.post(":id", "restore") { req in try await mark(req, false, page: page) }
    }

    static func mark(_ req: Request, _ mark: Bool, page: (UUID) -> String) async throws -> Response {
        try req.require(S.editPermission)
        let service: S = try await req.service()
        let dto = try await service.setDeletionMark(of: req.idParameter(), to: mark,
                                                    expectedVersion: mark ? req.query[Int.self, at: "version"] : nil)
        return mark ? WebPage.markedDeleted(req, to: page(dto.id), name: dto.title)
                    : WebPage.restored(req, to: page(dto.id), name: dto.title)
    }
}
