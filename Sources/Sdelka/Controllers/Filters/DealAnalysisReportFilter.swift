import Fluent
import SdelkaCore
import Vapor

extension DealAnalysisReport {
    static func filter(_ req: Request) throws -> DealAnalysisReport.Filter {
        var params = QueryParameters(req)
        var filter = DealAnalysisReport.Filter(from: params.date("from"), to: params.date("to"),
                                               kindID: params.uuid("kindId"), responsibleID: params.uuid("responsibleId"))
        // `groupBy=a,b` from clients, `groupBy=a&groupBy=b&groupBy=` from the page's three selects.
        let levels = (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name == "groupBy" }.compactMap(\.value)
        if !levels.isEmpty {
            switch DealDimension.parse(levels.joined(separator: ",")) {
            case .success(let dimensions): filter.groupBy = dimensions
            case .failure(let error): params.fail("groupBy", error.reason)
            }
        }
        try params.check()
        return filter
    }
}
