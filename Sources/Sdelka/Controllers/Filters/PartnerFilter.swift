import Fluent
import SdelkaCore
import Vapor

extension PartnerQueries {
    static func filter(from req: Request) async throws -> PartnerQueries.Filter {
        var params = QueryParameters(req)
        var filter = PartnerQueries.Filter(q: req.text("q"), includeDeleted: req.flag("includeDeleted"))
        filter.isClient = params.bool("isClient")
        filter.isSupplier = params.bool("isSupplier")
        filter.isCompetitor = params.bool("isCompetitor")
        filter.kind = params.oneOf("kind", Partner.Kind.self)
        filter.mainManagerID = params.uuid("mainManagerId")
        filter.businessRegionID = params.uuid("businessRegionId")
        filter.accessGroupID = params.uuid("accessGroupId")
        filter.parentID = params.uuid("parentId")
        filter.sort = params.oneOf("sort", PartnerQueries.Sort.self) ?? .name
        let segmentID = params.uuid("segmentId")
        try params.check()
        if let segmentID {
            guard let segment = try await Segment.find(segmentID, on: req.db) else { throw APIError.validation("segmentId", "names a segment that does not exist") }
            filter.segment = segment
            filter.timeZone = req.application.sdelka.timeZone
            filter.today = CalendarDate(Date(), in: filter.timeZone)
        }
        return filter
    }
}
