import SdelkaCore
import Vapor

extension DealQueries {
    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), partnerID: params.uuid("partnerId"), kindID: params.uuid("kindId"),
                            stageID: params.uuid("stageId"), status: params.oneOf("status", DealStatus.self),
                            responsibleID: params.uuid("responsibleId"), from: params.date("from"), to: params.date("to"),
                            includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }
}
