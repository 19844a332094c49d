import SdelkaCore
import Vapor

/// The API's one record under `/<path>/:id` — show, create, change, mark for deletion,
/// restore — for any record type with a `RecordService`. A controller registers it and adds its
/// list and whatever else its type does.
enum RecordResource<S: RecordService> where S.DTO: Content {
    static func register(on group: any RoutesBuilder) {
        group.post(use: create)
        group.get(":id", use: show)
        group.patch(":id", use: update)
        group.delete(":id", use: markDeleted)
        group.post(":id", "restore", use: restore)
    }

    /// The record named by the path's `:id`, if the user may see it, with its service.
    static func found(_ req: Request) async throws -> (S.Record, S) {
        try await req.record(S.self)
    }

    @Sendable static func show(req: Request) async throws -> S.DTO {
        let (record, service) = try await found(req)
        return try await service.dto(record)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.require(S.editPermission)
        let service: S = try await req.service()
        let record = try await service.create(try req.content.decode(S.Input.self))
        return try await service.dto(record).encodeResponse(status: .created, for: req)
    }

    @Sendable static func update(req: Request) async throws -> S.DTO {
        try req.require(S.editPermission)
        let (record, service) = try await found(req)
        try await service.update(record, with: try req.content.decode(S.Input.self), clearing: ExplicitNulls.keys(of: req))
        return try await service.dto(record)
    }

    @Sendable static func markDeleted(req: Request) async throws -> S.DTO {
        try await mark(req, true)
    }

    @Sendable static func restore(req: Request) async throws -> S.DTO {
        try await mark(req, false)
    }

    /// `?version=` guards marking, as it guards a change; restoring takes the record as it is.
    static func mark(_ req: Request, _ mark: Bool) async throws -> S.DTO {
        try req.require(S.editPermission)
        let service: S = try await req.service()
        return try await service.setDeletionMark(of: req.idParameter(), to: mark,
                                                 expectedVersion: mark ? req.query[Int.self, at: "version"] : nil)
    }
}
