import Fluent
import SdelkaCore
import Vapor

/// The BCG page: the 5×5 grid of the current classification with the previous counts in each
/// cell, the quadrants shaded and named, arrows for the biggest moves, and every move listed.
enum BCGPage {
    struct Cell: Encodable, Sendable {
        var x: Int
        var y: Int
        var count: Int
        var was: Int?
        var css: String
        var quadrant: String?
    }

    struct Head: Encodable, Sendable { var x: Int; var y: Int; var label: String; var anchor: String }

    struct Move: Encodable, Sendable {
        var x1: Int, y1: Int, x2: Int, y2: Int
        var width: String
        var title: String
    }

    struct Body: Encodable, Sendable {
        var measures: [AnalyticsPages.Tab]
        var measure: String
        var hasRun: Bool
        var date: String
        var previous: String?
        var cells: [Cell]
        var heads: [Head]
        var moves: [Move]
        var quadrants: [ABCXYZPage.ClassCount]
        var transitions: [ABCXYZPage.ClassCount]
        var runs: [FormOption]
    }

    static let cellWidth = 84, cellHeight = 50, left = 100, top = 26

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try req.user
        guard let measure = try await AnalyticsPages.measure(req) else { throw APIError.featureDisabled(.abcxyzRevenue) }
        let tabs = try await AnalyticsPages.measureTabs(req, path: Site.reports.path(.bcg), current: measure)
        let runs = try await ClassificationStore.runs(measure: measure, on: req.db.sql)
        guard !runs.isEmpty else {
            return try await WebPage.render("bcg", titleKey: "report_bcg", page: Body(
                measures: tabs, measure: measure.rawValue, hasRun: false, date: "", previous: nil, cells: [], heads: [], moves: [],
                quadrants: [], transitions: [], runs: []), for: req)
        }
        let date = req.query[String.self, at: "date"].flatMap { CalendarDate(accepting: $0) }
        let report = try await BCGReport.make(measure: measure, date: date, scope: try await req.accessScope(), on: req.db.sql)
        let label = { (name: String) in name.count == 1 ? name : WebPage.text(req, "class_\(name)") }
        func center(_ key: String) -> (Int, Int)? {
            for (row, x) in BCGMatrix.xyzAxis.enumerated() {
                for (column, a) in BCGMatrix.abcAxis.enumerated() where BCGMatrix.cell(abc: a == "none" ? nil : a, xyz: x == "none" ? nil : x) == key {
                    return (left + column * cellWidth + cellWidth / 2, top + row * cellHeight + cellHeight / 2)
                }
            }
            return nil
        }
        var cells: [Cell] = []
        for (row, x) in BCGMatrix.xyzAxis.enumerated() {
            for (column, a) in BCGMatrix.abcAxis.enumerated() {
                let abc = a == "none" ? nil : a, xyz = x == "none" ? nil : x
                let key = BCGMatrix.cell(abc: abc, xyz: xyz)
                let quadrant = (abc == nil && xyz == nil) ? nil : BCGMatrix.quadrant(abc: abc, xyz: xyz)
                cells.append(Cell(x: left + column * cellWidth, y: top + row * cellHeight, count: report.current.cells[key] ?? 0,
                                  was: report.previous.map { $0.cells[key] ?? 0 }, css: quadrant?.rawValue ?? "",
                                  quadrant: quadrant.flatMap { $0 == .questionMarks ? nil : WebPage.text(req, "quadrant_\($0.rawValue)") }))
            }
        }
        let heads = BCGMatrix.abcAxis.enumerated().map { Head(x: left + $0.offset * cellWidth + cellWidth / 2, y: 16, label: label($0.element), anchor: "middle") }
            + BCGMatrix.xyzAxis.enumerated().map { Head(x: left - 6, y: top + $0.offset * cellHeight + cellHeight / 2 + 4, label: label($0.element), anchor: "end") }
        let moving = report.transitions.filter { $0.from != $0.to }
        let biggest = moving.prefix(6)
        let most = max(biggest.first?.count ?? 1, 1)
        let cellName = { (key: String) in key.contains("/") ? key.split(separator: "/").map { label(String($0)) }.joined(separator: "/") : key }
        let moves: [Move] = biggest.compactMap { move in
            guard let from = center(move.from), let to = center(move.to) else { return nil }
            // Stop short of the target's centre so that the arrowhead does not hide its count.
            let dx = Double(to.0 - from.0), dy = Double(to.1 - from.1), length = max((dx * dx + dy * dy).squareRoot(), 1)
            let shorten = min(18.0, length / 3)
            // A move and its reverse run side by side, not on top of each other.
            let sideX = Int(-dy / length * 5), sideY = Int(dx / length * 5)
            return Move(x1: from.0 + Int(dx / length * 12) + sideX, y1: from.1 + Int(dy / length * 12) + sideY,
                        x2: to.0 - Int(dx / length * shorten) + sideX, y2: to.1 - Int(dy / length * shorten) + sideY,
                        width: String(format: "%.1f", 1.2 + 2.8 * Double(move.count) / Double(most)),
                        title: "\(cellName(move.from)) → \(cellName(move.to)): \(move.count)")
        }
        let body = Body(
            measures: tabs, measure: measure.rawValue, hasRun: true, date: RussianFormat.date(report.current.date.description),
            previous: report.previous.map { RussianFormat.date($0.date.description) }, cells: cells, heads: heads, moves: moves,
            quadrants: BCGMatrix.Quadrant.allCases.map {
                ABCXYZPage.ClassCount(letter: WebPage.text(req, "quadrant_\($0.rawValue)"), count: report.quadrants[$0.rawValue] ?? 0,
                                      share: WebPage.text(req, "quadrant_\($0.rawValue)_hint"), href: "")
            },
            transitions: moving.prefix(20).map {
                ABCXYZPage.ClassCount(letter: "\(cellName($0.from)) → \(cellName($0.to))", count: $0.count, share: "", href: "")
            },
            runs: runs.map { FormOption(value: $0.date.description, label: RussianFormat.date($0.date.description), selected: $0.date == report.current.date) })
        return try await WebPage.render("bcg", titleKey: "report_bcg", page: body, for: req)
    }
}
