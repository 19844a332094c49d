import Fluent
import SdelkaCore
import Vapor

extension ForecastReport {
    static func filter(_ req: Request) throws -> ForecastReport.Filter {
        var params = QueryParameters(req)
        let filter = ForecastReport.Filter(kindID: params.uuid("kindId"), responsibleID: params.uuid("responsibleId"),
                                           from: params.date("from"), to: params.date("to"))
        try params.check()
        return filter
    }
}
