import SdelkaCore
import Vapor

extension TaskQueries {
    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(responsibleID: params.uuid("responsibleId"), due: params.date("due"), dealID: params.uuid("dealId"),
                            done: params.bool("done"))
        try params.check()
        return filter
    }
}
