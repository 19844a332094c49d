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

    static func service(_ req: Request) async throws -> SegmentService {
        SegmentService(db: req.db, author: ChangeAuthor(try req.user), scope: try await req.accessScope(),
                       today: CalendarDate(Date(), in: req.application.sdelka.timeZone), timeZone: req.application.sdelka.timeZone)
    }

    static func find(_ req: Request) async throws -> Segment {
        guard let segment = try await Segment.find(req.idParameter(), on: req.db) else { throw APIError.notFound("segment") }
        return segment
    }

    /// By name; `q` searches name and comment, `kind` keeps one kind.
    @Sendable static func index(req: Request) async throws -> PageDTO<SegmentDTO> {
        var params = QueryParameters(req)
        let kind = params.oneOf("kind", SegmentKind.self)
        try params.check()
        let query = Segment.query(on: req.db)
        if !req.flag("includeDeleted") { query.filter(\.$deletionMark == false) }
        if let q = req.text("q") { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let kind { query.filter(\.$kind == kind) }
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(query.sort(\.$name).sort(\.$id))
        return PageDTO(items: try await service(req).dtos(rows), total: total, page: page.page, per: page.per)
    }

    @Sendable static func members(req: Request) async throws -> PageDTO<SegmentMemberDTO> {
        try await service(req).memberPage(try await find(req), page: try PageRequest(req))
    }

    @Sendable static func addMembers(req: Request) async throws -> SegmentDTO {
        try req.require(.editRecords)
        let segment = try await find(req)
        let service = try await service(req)
        try await service.add(try req.content.decode(SegmentMembersInput.self).partnerIds, to: segment)
        return try await service.dto(segment)
    }

    @Sendable static func removeMember(req: Request) async throws -> SegmentDTO {
        try req.require(.editRecords)
        let segment = try await find(req)
        guard let partner = req.parameters.get("partnerId", as: UUID.self) else { throw APIError.validation("partnerId", "is not a UUID") }
        let service = try await service(req)
        try await service.remove(partner, from: segment)
        return try await service.dto(segment)
    }

    @Sendable static func refresh(req: Request) async throws -> SegmentDTO {
        try req.require(.editRecords)
        let segment = try await find(req)
        let service = try await service(req)
        try await service.requireMayChange(segment)
        try await service.refresh(segment)
        return try await service.dto(segment)
    }
}
