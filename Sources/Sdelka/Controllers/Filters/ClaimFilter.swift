import Fluent
import SdelkaCore
import Vapor

extension ClaimQueries {
    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), partnerID: params.uuid("partnerId"), status: params.oneOf("status", ClaimStatus.self),
                            open: params.bool("open"), causeID: params.uuid("causeId"), departmentID: params.uuid("departmentId"),
                            responsibleID: params.uuid("responsibleId"), basisID: params.uuid("basisId"),
                            from: params.date("from"), to: params.date("to"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }
}

extension ClaimsReport {
    static func filter(_ req: Request) throws -> ClaimsReport.Filter {
        var params = QueryParameters(req)
        let filter = ClaimsReport.Filter(groupBy: params.oneOf("groupBy", ClaimsReport.GroupBy.self) ?? .cause,
                                         from: params.date("from"), to: params.date("to"))
        try params.check()
        return filter
    }
}
