import Fluent
import SdelkaCore
import Vapor

extension LossReasonsReport {
    static func filter(_ req: Request) throws -> LossReasonsReport.Filter {
        var params = QueryParameters(req)
        let filter = LossReasonsReport.Filter(from: params.date("from"), to: params.date("to"), kindID: params.uuid("kindId"))
        try params.check()
        return filter
    }
}
