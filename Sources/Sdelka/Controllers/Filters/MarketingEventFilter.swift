import SdelkaCore
import Vapor

extension MarketingEventQueries {
    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), channelID: params.uuid("channelId"), responsibleID: params.uuid("responsibleId"),
                            partnerID: params.uuid("partnerId"), finished: params.bool("finished"),
                            from: params.date("from"), to: params.date("to"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }
}
