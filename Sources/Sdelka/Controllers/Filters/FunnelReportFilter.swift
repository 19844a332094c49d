import Fluent
import SdelkaCore
import Vapor

extension FunnelReport {
    static func filter(_ req: Request) throws -> FunnelReport.Filter {
        var params = QueryParameters(req)
        let filter = FunnelReport.Filter(kindID: params.uuid("kindId"), from: params.date("from"), to: params.date("to"),
                                         responsibleID: params.uuid("responsibleId"))
        try params.check()
        return filter
    }
}
