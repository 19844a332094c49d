import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/segments`, behind the `segments` switch: CRUD, members, refresh.
enum SegmentsController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("segments")
        group.get(use: index)
        RecordResource<SegmentService>.register(on: group)
        group.get(":id", "members", use: members)
        group.post(":id", "members", use: addMembers)
        group.delete(":id", "members", ":partnerId", use: removeMember)
        group.post(":id", "refresh", use: refresh)
    }

    /// By name; `q` searches name and comment, `kind` keeps one kind.
    @Sendable static func index(req: Request) async throws -> PageDTO<SegmentDTO> {
        var params = QueryParameters(req)
        let kind = params.oneOf("kind", SegmentKind.self)
        try params.check()
        let service = try await req.service(SegmentService.self)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(service.list(q: req.text("q"), kind: kind, includeDeleted: req.flag("includeDeleted")))
        return PageDTO(items: try await service.dtos(rows), total: total, page: page.page, per: page.per)
    }

    @Sendable static func members(req: Request) async throws -> PageDTO<SegmentMemberDTO> {
        let (segment, service) = try await req.record(SegmentService.self)
        return try await service.memberPage(segment, page: try PageRequest(req))
    }

    @Sendable static func addMembers(req: Request) async throws -> SegmentDTO {
        try req.require(.editRecords)
        let (segment, service) = try await req.record(SegmentService.self)
        try await service.add(try req.content.decode(SegmentMembersInput.self).partnerIds, to: segment)
        return try await service.dto(segment)
    }

    @Sendable static func removeMember(req: Request) async throws -> SegmentDTO {
        try req.require(.editRecords)
        let (segment, service) = try await req.record(SegmentService.self)
        guard let partner = req.parameters.get("partnerId", as: UUID.self) else { throw FieldErrors("partnerId", "is not a UUID") }
        try await service.remove(partner, from: segment)
        return try await service.dto(segment)
    }

    @Sendable static func refresh(req: Request) async throws -> SegmentDTO {
        try req.require(.editRecords)
        let (segment, service) = try await req.record(SegmentService.self)
        try await service.refresh(segment)
        return try await service.dto(segment)
    }
}
