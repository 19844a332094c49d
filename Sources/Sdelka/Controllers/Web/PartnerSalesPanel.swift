import Fluent
import SdelkaCore
import Vapor

/// The «Продажи» panel of the partner card: sales by month from the kept daily totals, with a
/// bar chart of revenue drawn on the server (SVG), the last 24 months.
struct PartnerSalesPanel: Encodable, Sendable {
    struct Month: Encodable, Sendable {
        var label: String
        var revenue: String
        var grossProfit: String
        var documents: String
    }

    struct Bar: Encodable, Sendable {
        var x: Int
        var y: Int
        var height: Int
        var label: String
        var title: String
        var showLabel: Bool
    }

    static let months = 24
    static let chartHeight = 120, barWidth = 22, gap = 6

    var rows: [Month]
    var bars: [Bar]
    var chartWidth: Int
    var yearRevenue: String
    var yearGrossProfit: String

    static func load(partner: UUID, req: Request) async throws -> PartnerSalesPanel {
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone)
        let stored = try await SalesTotals.monthly(partner: partner, months: months, today: today, on: req.db)
        let byMonth = Dictionary(uniqueKeysWithValues: stored.map { ($0.month, $0) })
        let first = today.firstOfMonth(addingMonths: -(months - 1))
        let keys = (0..<months).map { String(first.firstOfMonth(addingMonths: $0).description.prefix(7)) }
        let cents = keys.map { byMonth[$0].flatMap { Money.cents($0.revenue) } ?? 0 }
        let top = max(cents.max() ?? 0, 1)
        let bars = keys.enumerated().map { index, key in
            let height = Int(Double(max(cents[index], 0)) / Double(top) * Double(chartHeight))
            return Bar(x: index * (barWidth + gap), y: chartHeight - height, height: height, label: label(key),
                       title: "\(label(key)): \(RussianFormat.money(cents: cents[index]))", showLabel: index % 3 == 0)
        }
        let lastYear = stored.filter { $0.month >= keys[months - 12] }
        func sum(_ value: (SalesMonthDTO) -> Decimal) -> String {
            RussianFormat.money(cents: Money.cents(lastYear.reduce(0) { $0 + value($1) }) ?? 0)
        }
        return PartnerSalesPanel(
            rows: stored.map {
                Month(label: label($0.month), revenue: RussianFormat.money(cents: Money.cents($0.revenue) ?? 0),
                      grossProfit: RussianFormat.money(cents: Money.cents($0.grossProfit) ?? 0),
                      documents: $0.returnsCount > 0 ? "\($0.salesCount) / −\($0.returnsCount)" : "\($0.salesCount)")
            },
            bars: bars, chartWidth: months * (barWidth + gap), yearRevenue: sum(\.revenue), yearGrossProfit: sum(\.grossProfit))
    }

    /// "2026-03" as "03.2026", the Russian way of writing a month.
    static func label(_ month: String) -> String {
        let parts = month.split(separator: "-")
        return parts.count == 2 ? "\(parts[1]).\(parts[0])" : month
    }
}
