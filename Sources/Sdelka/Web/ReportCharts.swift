import Foundation
import SdelkaCore

/// Geometry of the report charts, computed here and drawn as SVG by the templates: numbers in,
/// coordinates out, so that a template only places what this file measured.
enum ReportCharts {
    /// The ABC Pareto curve: the share of clients (x) against their cumulative share of the
    /// measure (y), with the A, B and C zones shaded. At most ~200 points are drawn.
    struct Pareto: Encodable, Sendable {
        struct Zone: Encodable, Sendable { var x: Int; var width: Int; var label: String; var css: String }
        struct Tick: Encodable, Sendable { var position: Int; var label: String }
        var path: String
        var zones: [Zone]
        var xTicks: [Tick]
        var yTicks: [Tick]
        static let left = 44, top = 10, width = 540, height = 200
    }

    /// `values` biggest first; nil when there is nothing to draw (no clients, or a total ≤ 0).
    static func pareto(values: [Int64], classes: [String]) -> Pareto? {
        let total = values.reduce(Int128(0)) { $0 + Int128($1) }
        guard !values.isEmpty, total > 0 else { return nil }
        let n = values.count, step = max(1, n / 200)
        func x(_ i: Int) -> Int { Pareto.left + Int((Double(i) / Double(n) * Double(Pareto.width)).rounded()) }
        func y(_ share: Double) -> Int { Pareto.top + Int(((1 - share) * Double(Pareto.height)).rounded()) }
        var path = "M\(x(0)),\(y(0))"
        var cumulative = Int128(0)
        for (index, value) in values.enumerated() {
            cumulative += Int128(value)
            if (index + 1) % step == 0 || index == n - 1 {
                path += " L\(x(index + 1)),\(y(max(0, min(1, Double(cumulative) / Double(total)))))"
            }
        }
        var zones: [Pareto.Zone] = []
        var start = 0
        for letter in ["A", "B", "C"] {
            let count = classes.filter { $0 == letter }.count
            guard count > 0 else { continue }
            zones.append(.init(x: x(start), width: max(1, x(start + count) - x(start)), label: "\(letter) · \(count)", css: "zone-\(letter.lowercased())"))
            start += count
        }
        let quarters = [0, 25, 50, 75, 100]
        return Pareto(path: path, zones: zones,
                      xTicks: quarters.map { .init(position: Pareto.left + Pareto.width * $0 / 100, label: "\($0) %") },
                      yTicks: quarters.map { .init(position: Pareto.top + Pareto.height * (100 - $0) / 100, label: "\($0) %") })
    }

    /// The funnel: one bar per stage, centred, as wide as the share of the first stage's
    /// `reached`, split into won, lost and open; the conversion to the next stage beside it.
    struct FunnelBar: Encodable, Sendable {
        struct Part: Encodable, Sendable { var x: Int; var width: Int; var css: String; var title: String }
        var y: Int
        var x: Int
        var width: Int
        var parts: [Part]
        var label: String
        var conversion: String?
    }

    static let funnelWidth = 520, funnelRow = 46, funnelLeft = 240

    static func funnel(_ stages: [FunnelReport.Stage], names: (won: String, lost: String, open: String)) -> [FunnelBar] {
        let top = max(stages.map(\.reached).max() ?? 0, 1)
        return stages.enumerated().map { index, stage in
            let width = stage.reached == 0 ? 0 : max(6, funnelWidth * stage.reached / top)
            let x = funnelLeft + (funnelWidth - width) / 2
            var parts: [FunnelBar.Part] = []
            var offset = x
            for (count, css, name) in [(stage.won, "won", names.won), (stage.lost, "lost", names.lost), (stage.open, "open", names.open)] where count > 0 {
                let part = width * count / max(stage.reached, 1)
                parts.append(.init(x: offset, width: max(1, part), css: css, title: "\(name): \(count)"))
                offset += part
            }
            return FunnelBar(y: index * funnelRow, x: x, width: width, parts: parts, label: "\(stage.name) · \(stage.reached)",
                             conversion: stage.conversionToNext.map { RussianFormat.percent(Funnel.rounded($0 * 100, scale: 1)) })
        }
    }
}

extension ReportCharts {
    /// Horizontal bars, one per item, as long as its share of the largest.
    struct Bar: Encodable, Sendable { var y: Int; var width: Int; var valueX: Int; var label: String; var value: String }

    static let barsLeft = 220, barsWidth = 420, barsRow = 28

    static func bars(_ items: [(label: String, count: Int, value: String)]) -> [Bar] {
        let top = max(items.map(\.count).max() ?? 0, 1)
        return items.enumerated().map { index, item in
            let width = max(2, barsWidth * item.count / top)
            // The label column holds about 32 characters; a longer name is cut, and shown whole in the tables.
            let label = item.label.count > 32 ? item.label.prefix(31) + "…" : item.label
            return Bar(y: index * barsRow, width: width, valueX: barsLeft + width + 6, label: label, value: item.value)
        }
    }
}

extension ReportCharts {
    /// Columns over months (trends): each column stacks its parts bottom up, the tallest column
    /// fills the height; the chart is always as wide, a column takes at most a twelfth of it, and
    /// month labels are written at least 56 units apart.
    struct Column: Encodable, Sendable {
        struct Part: Encodable, Sendable { var y: Int; var height: Int; var css: String }
        var x: Int
        var width: Int
        var label: String?
        var title: String
        var parts: [Part]
    }

    static let columnsHeight = 160, columnsWidth = 760

    static func columns(_ items: [(label: String, title: String, parts: [(value: Int64, css: String)])]) -> (columns: [Column], width: Int) {
        let top = max(items.map { $0.parts.map { max($0.value, 0) }.saturatedSum }.max() ?? 0, 1)
        let slot = columnsWidth / max(items.count, 12), width = max(2, slot * 7 / 10)
        let every = max(1, (56 + slot - 1) / slot)
        let columns = items.enumerated().map { index, item in
            var bottom = columnsHeight
            let parts = item.parts.compactMap { part -> Column.Part? in
                let height = Int((Double(max(part.value, 0)) / Double(top) * Double(columnsHeight)).rounded())
                guard height > 0 else { return nil }
                bottom -= height
                return Column.Part(y: bottom, height: height, css: part.css)
            }
            return Column(x: index * slot, width: width, label: index % every == 0 ? item.label : nil, title: item.title, parts: parts)
        }
        return (columns, columnsWidth)
    }
}
