import SdelkaCore
import Vapor

extension ProductQueries {
    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), groupID: params.uuid("groupId"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }
}
