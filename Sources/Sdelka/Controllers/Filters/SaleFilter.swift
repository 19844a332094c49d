import SdelkaCore
import Vapor

extension SaleQueries {
    static func filter(from req: Request) throws -> Filter {
        var params = QueryParameters(req)
        let filter = Filter(q: params.text("q"), partnerID: params.uuid("partnerId"), counterpartyID: params.uuid("counterpartyId"),
                            organizationID: params.uuid("organizationId"), dealID: params.uuid("dealId"),
                            isReturn: params.oneOf("kind", Kind.self).map { $0 == .return },
                            from: params.date("from"), to: params.date("to"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }
}
