import SdelkaCore
import Vapor

extension CompetitorPriceService.Filter {
    static func filter(from req: Request) throws -> Self {
        var params = QueryParameters(req)
        let filter = Self(competitorID: params.uuid("competitorId"), productID: params.uuid("productId"), sourceID: params.uuid("sourceId"),
                          from: params.date("from"), to: params.date("to"), includeDeleted: req.flag("includeDeleted"))
        try params.check()
        return filter
    }
}

extension PriceComparisonReport {
    /// The date defaults to today; `productIds` is a comma-separated list.
    static func filter(_ req: Request, today: CalendarDate) throws -> Filter {
        var params = QueryParameters(req)
        var ids: [UUID]?
        if let list = params.text("productIds") {
            ids = list.split(separator: ",").compactMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
            if ids?.count != list.split(separator: ",").count || (ids?.count ?? 0) > 1_000 {
                params.fail("productIds", "must be up to 1000 product ids separated by commas")
            }
        }
        let filter = Filter(date: params.date("date") ?? today, productGroupID: params.uuid("productGroupId"), productIDs: ids,
                            competitorID: params.uuid("competitorId"))
        try params.check()
        return filter
    }

    static func table(_ report: PriceComparisonReport) -> ReportFormat.Table {
        ReportFormat.Table(filename: "price-comparison-\(report.date).csv",
                           header: ["sku", "product", "ourPrice", "competitor", "price", "currency", "date", "ageDays", "difference", "differencePercent"],
                           rows: report.items.flatMap { item in
                               item.competitors.map { c in
                                   [item.sku, item.name, item.ourPrice?.description, c.name, c.price.description, c.currency, c.date,
                                    String(c.ageDays), c.difference?.description, c.differencePercent?.description]
                               }
                           })
    }
}

extension CompetitorsReport {
    /// The last twelve months up to today unless a period is given.
    static func period(_ req: Request, today: CalendarDate) throws -> (CalendarDate, CalendarDate) {
        var params = QueryParameters(req)
        let to = params.date("to") ?? today
        let from = params.date("from") ?? to.firstOfMonth(addingMonths: -11)
        if from > to { params.fail("from", "must not be after to") }
        try params.check()
        return (from, to)
    }

    static func table(_ report: CompetitorsReport) -> ReportFormat.Table {
        ReportFormat.Table(filename: "competitors-\(report.from)-\(report.to).csv",
                           header: ["competitor", "dealsMet", "wonByUs", "lostToThem", "amountLost", "winRate", "productsObserved", "meanPriceDifferencePercent"],
                           rows: report.items.map {
                               [$0.name, String($0.dealsMet), String($0.wonByUs), String($0.lostToThem), $0.amountLost.description,
                                $0.winRate?.description, String($0.productsObserved), $0.meanPriceDifferencePercent?.description]
                           })
    }
}
