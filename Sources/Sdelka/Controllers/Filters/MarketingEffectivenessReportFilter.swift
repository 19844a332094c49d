import Fluent
import SdelkaCore
import Vapor

extension MarketingEffectivenessReport {
    static func filter(_ req: Request) throws -> MarketingEffectivenessReport.Filter {
        var params = QueryParameters(req)
        let filter = MarketingEffectivenessReport.Filter(from: params.date("from"), to: params.date("to"))
        try params.check()
        return filter
    }
}
