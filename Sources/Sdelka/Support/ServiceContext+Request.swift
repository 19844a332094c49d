import SdelkaCore
import Vapor

extension Request {
    /// The services' view of this request: its database, its signed-in user as the author of
    /// changes, the partners the user may see, and the server's configuration.
    /// `scope`: the user's access scope when the caller has read it already.
    func serviceContext(scope: AccessScope? = nil) async throws -> ServiceContext {
        let resolved: AccessScope
        if let scope { resolved = scope } else { resolved = try await accessScope() }
        return ServiceContext(db: db, author: ChangeAuthor(try user), scope: resolved, config: application.sdelka)
    }

    /// The service of a record type, for this request.
    func service<S: RecordService>(_ type: S.Type = S.self, scope: AccessScope? = nil) async throws -> S {
        S(try await serviceContext(scope: scope))
    }
}

extension Request {
    /// The record named by the path's `:id` if the user may see it (else `NotFound`), with its
    /// service.
    func record<S: RecordService>(_ type: S.Type, parameter: String = "id") async throws -> (S.Record, S) {
        let service: S = try await self.service()
        return (try await service.find(idParameter(parameter)), service)
    }
}
