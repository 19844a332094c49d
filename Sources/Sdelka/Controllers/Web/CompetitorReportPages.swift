import Fluent
import SdelkaCore
import Vapor

/// The competitive-intelligence reports: the price comparison (where we are dearer by more than a
/// chosen percent is marked), a product's price history as a chart, and the competitors' deals.
enum CompetitorReportPages {
    static func register(on routes: any RoutesBuilder) {
        let reports = routes.grouped(Site.reports.component)
        reports.get(SitePage.priceComparison.component, use: comparison)
        reports.get(SitePage.priceComparisonCSV.component, use: comparisonCSV)
        reports.get(SitePage.priceComparison.component, ":id", use: history)
        reports.get(SitePage.competitors.component, use: competitors)
        reports.get(SitePage.competitorsCSV.component, use: competitorsCSV)
    }

    struct Cell: Encodable, Sendable { var price: String; var percent: String; var date: String; var dearer: Bool; var css: String }
    struct Row: Encodable, Sendable { var productId: UUID; var sku: String; var name: String; var ours: String; var cells: [Cell]; var dearer: Bool }
    struct ComparisonBody: Encodable, Sendable {
        var date: String; var threshold: String; var groups: [FormOption]; var competitors: [FormOption]
        var columns: [String]; var rows: [Row]; var dearerCount: Int; var exportHref: String
    }

    static func report(_ req: Request) async throws -> PriceComparisonReport {
        let context = try await req.serviceContext()
        return try await PriceComparisonReport.make(try PriceComparisonReport.filter(req, today: context.today), on: req.db)
    }

    @Sendable static func comparison(req: Request) async throws -> Response {
        let report = try await report(req)
        let t = req.application.localizer.strings(WebPage.language(req))
        var params = QueryParameters(req)
        let threshold = params.int("threshold", in: 0...1000) ?? 5
        try params.check()
        var columns: [UUID: String] = [:]
        for item in report.items { for c in item.competitors { columns[c.competitorId] = c.name } }
        let ordered = columns.sorted { ($0.value, $0.key.uuidString) < ($1.value, $1.key.uuidString) }
        let rows = report.items.map { item -> Row in
            let cells = ordered.map { id, _ -> Cell in
                guard let c = item.competitors.first(where: { $0.competitorId == id }) else { return Cell(price: "", percent: "", date: "", dearer: false, css: "") }
                let dearer = (c.differencePercent ?? 0) <= -Decimal(threshold) && c.differencePercent != nil
                return Cell(price: RussianFormat.money(cents: Money.cents(c.price) ?? 0, symbol: c.currency == "RUB" ? "₽" : c.currency),
                            percent: c.differencePercent.map { ($0 > 0 ? "+" : "") + RussianFormat.percent($0) } ?? "",
                            date: RussianFormat.date(c.date), dearer: dearer, css: c.cheapest ? "cheapest" : c.dearest ? "dearest" : "")
            }
            return Row(productId: item.productId, sku: item.sku, name: item.name,
                       ours: item.ourPrice.map { RussianFormat.money(cents: Money.cents($0) ?? 0) } ?? "—", cells: cells, dearer: cells.contains(where: \.dearer))
        }
        let groups = try await ReferenceNames.catalog(ProductGroup.self, req.db).map { ($0.0.uuidString, $0.1) }
        let body = ComparisonBody(
            date: report.date, threshold: String(threshold),
            groups: FormOptions.make(groups, selected: req.text("productGroupId"), blank: t["all"] ?? "—"),
            competitors: FormOptions.make(try await CompetitorPricePages.competitorOptions(req.db), selected: req.text("competitorId"), blank: t["all"] ?? "—"),
            columns: ordered.map(\.value), rows: rows, dearerCount: rows.filter(\.dearer).count,
            exportHref: req.link(to: Site.reports.path(.priceComparisonCSV), dropping: [], adding: []))
        return try await WebPage.render("price-comparison", titleKey: "report_price_comparison", page: body, for: req)
    }

    @Sendable static func comparisonCSV(req: Request) async throws -> Response {
        try await ReportFormat.respond(req, try await report(req), csv: true, table: PriceComparisonReport.table)
    }

    struct Series: Encodable, Sendable { var name: String; var css: String; var points: String; var last: String }
    struct HistoryBody: Encodable, Sendable {
        var product: String; var ours: String; var series: [Series]; var oursY: Int?; var from: String; var to: String
        var high: String; var low: String; var rows: [CompetitorPricePages.Row]
    }

    /// A year of a product's prices up to `date`: each competitor's observations as a line, ours level.
    @Sendable static func history(req: Request) async throws -> Response {
        let id = try req.idParameter()
        guard let product = try await Product.find(id, on: req.db) else { throw NotFound("product") }
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone)
        var params = QueryParameters(req)
        let to = params.date("date") ?? today
        try params.check()
        let from = to.adding(days: -365)
        let prices = try await CompetitorPrice.query(on: req.db).filter(\.$productID == id).filter(\.$deletionMark == false)
            .filter(\.$date >= from.description).filter(\.$date <= to.description).filter(\.$currency == "RUB").sort(\.$date).all()
        let names = try await Partner.query(on: req.db).filter(\.$id ~~ Set(prices.map(\.competitorID))).all()
            .reduce(into: [UUID: String]()) { $0[$1.id ?? UUID()] = $1.name }
        let values = prices.map(\.priceCents) + [product.priceCents].compactMap { $0 }
        let low = values.min() ?? 0, high = max(values.max() ?? 1, low + 1)
        let width = 700.0, height = 220.0, span = Double(max(1, to.dayNumber - from.dayNumber))
        func y(_ cents: Int64) -> Int { Int(10 + height - Double(cents - low) / Double(high - low) * height) }
        func x(_ date: String) -> Int { Int(60 + Double((CalendarDate(date)?.dayNumber ?? from.dayNumber) - from.dayNumber) / span * width) }
        let series = Dictionary(grouping: prices, by: \.competitorID).sorted { (names[$0.key] ?? "") < (names[$1.key] ?? "") }
            .enumerated().map { index, entry in
                Series(name: names[entry.key] ?? "", css: "series-\(index % 8)",
                       points: entry.value.map { "\(x($0.date)),\(y($0.priceCents))" }.joined(separator: " "),
                       last: entry.value.last.map { RussianFormat.money(cents: $0.priceCents) } ?? "")
            }
        let rows = try prices.suffix(50).reversed().map { p in
            CompetitorPricePages.Row(id: try p.requireID(), date: RussianFormat.date(p.date), competitor: names[p.competitorID] ?? "",
                                     competitorId: p.competitorID, product: product.name, productId: id,
                                     price: RussianFormat.money(cents: p.priceCents), source: "", deletionMark: false)
        }
        let body = HistoryBody(product: "\(product.sku) — \(product.name)", ours: product.priceCents.map { RussianFormat.money(cents: $0) } ?? "—",
                               series: series, oursY: product.priceCents.map(y), from: RussianFormat.date(from.description),
                               to: RussianFormat.date(to.description), high: RussianFormat.money(cents: high), low: RussianFormat.money(cents: low), rows: rows)
        return try await WebPage.render("price-history", titleKey: "report_price_history", page: body, for: req)
    }

    struct CompetitorRow: Encodable, Sendable {
        var id: UUID; var name: String; var met: Int; var won: Int; var lost: Int; var amountLost: String; var winRate: String
        var products: Int; var difference: String
    }
    struct CompetitorsBody: Encodable, Sendable { var from: String; var to: String; var rows: [CompetitorRow]; var exportHref: String }

    @Sendable static func competitors(req: Request) async throws -> Response {
        let context = try await req.serviceContext()
        let (from, to) = try CompetitorsReport.period(req, today: context.today)
        let report = try await CompetitorsReport.make(from: from, to: to, scope: context.scope, on: req.db)
        let rows = report.items.map {
            CompetitorRow(id: $0.competitorId, name: $0.name, met: $0.dealsMet, won: $0.wonByUs, lost: $0.lostToThem,
                          amountLost: RussianFormat.money(cents: Money.cents($0.amountLost) ?? 0), winRate: $0.winRate.map(RussianFormat.percent) ?? "—",
                          products: $0.productsObserved,
                          difference: $0.meanPriceDifferencePercent.map { ($0 > 0 ? "+" : "") + RussianFormat.percent($0) } ?? "—")
        }
        return try await WebPage.render("competitors-report", titleKey: "report_competitors", page: CompetitorsBody(
            from: from.description, to: to.description, rows: rows,
            exportHref: req.link(to: Site.reports.path(.competitorsCSV), dropping: [], adding: [])), for: req)
    }

    @Sendable static func competitorsCSV(req: Request) async throws -> Response {
        let context = try await req.serviceContext()
        let (from, to) = try CompetitorsReport.period(req, today: context.today)
        return try await ReportFormat.respond(req, try await CompetitorsReport.make(from: from, to: to, scope: context.scope, on: req.db),
                                              csv: true, table: CompetitorsReport.table)
    }
}
