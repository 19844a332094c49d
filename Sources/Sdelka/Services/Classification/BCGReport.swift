import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/bcg`: the 5×5 cells of the current and the previous classification,
/// how many clients moved from each cell to each, and the four quadrants of the current one.
/// Both runs cover the same clients: one absent from a run sits in its `none/none` cell.
struct BCGReport: Content {
    struct Matrix: Content {
        var date: CalendarDate
        var cells: [String: Int]
    }

    struct Transition: Content, Equatable {
        var from: String
        var to: String
        var count: Int
    }

    var measure: ClassificationMeasure
    var current: Matrix
    var previous: Matrix?
    var transitions: [Transition]
    var quadrants: [String: Int]

    static func make(measure: ClassificationMeasure, date: CalendarDate?, scope: AccessScope,
                     on sql: any SQLDatabase) async throws -> BCGReport {
        let current = try await ClassificationReports.run(measure: measure, date: date, on: sql)
        let previous = try await ClassificationStore.runs(measure: measure, before: current.date, limit: 1, on: sql).first
        let pairs = try await counts(current: current.id, previous: previous?.id, measure: measure, scope: scope, on: sql)
        let empty = Dictionary(uniqueKeysWithValues: BCGMatrix.allCells.map { ($0, 0) })
        var now = empty, before = empty
        var quadrants = Dictionary(uniqueKeysWithValues: BCGMatrix.Quadrant.allCases.map { ($0.rawValue, 0) })
        var moves: [Transition] = []
        for (pair, n) in pairs {
            let to = BCGMatrix.cell(abc: pair.current?.abc, xyz: pair.current?.xyz)
            let from = BCGMatrix.cell(abc: pair.previous?.abc, xyz: pair.previous?.xyz)
            now[to, default: 0] += n
            before[from, default: 0] += n
            if let cell = pair.current {
                quadrants[BCGMatrix.quadrant(abc: cell.abc, xyz: cell.xyz).rawValue, default: 0] += n
            }
            if previous != nil { moves.append(Transition(from: from, to: to, count: n)) }
        }
        moves.sort { ($1.count, $0.from, $0.to) < ($0.count, $1.from, $1.to) }
        return BCGReport(measure: measure, current: Matrix(date: current.date, cells: now),
                         previous: previous.map { Matrix(date: $0.date, cells: before) },
                         transitions: moves, quadrants: quadrants)
    }

    /// Clients counted by their pair of cells: both runs' rows read in key order (the primary
    /// key's, so neither database sorts) and merged by partner here.
    private static func counts(current: UUID, previous: UUID?, measure: ClassificationMeasure, scope: AccessScope,
                               on sql: any SQLDatabase) async throws -> [Pair: Int] {
        let now = try await cells(of: current, measure: measure, scope: scope, on: sql)
        var before: [(key: (UInt64, UInt64), cell: Cell)] = []
        if let previous { before = try await cells(of: previous, measure: measure, scope: scope, on: sql) }
        var pairs: [Pair: Int] = [:]
        var i = 0, j = 0
        while i < now.count || j < before.count {
            if j == before.count || (i < now.count && now[i].key < before[j].key) {
                pairs[Pair(current: now[i].cell, previous: nil), default: 0] += 1; i += 1
            } else if i == now.count || before[j].key < now[i].key {
                pairs[Pair(current: nil, previous: before[j].cell), default: 0] += 1; j += 1
            } else {
                pairs[Pair(current: now[i].cell, previous: before[j].cell), default: 0] += 1; i += 1; j += 1
            }
        }
        return pairs
    }

    /// A client's classes in one run; a run without the client has no cell (nil).
    private struct Cell: Hashable { var abc: String?, xyz: String? }
    private struct Pair: Hashable { var current: Cell?, previous: Cell? }

    /// A run's cells by one measure, partner by partner in key order.
    private static func cells(of run: UUID, measure: ClassificationMeasure, scope: AccessScope,
                              on sql: any SQLDatabase) async throws -> [(key: (UInt64, UInt64), cell: Cell)] {
        let m = measure.column
        var query = SQLQueryString("""
            SELECT r.partner_id, r.\(unsafeRaw: m)_abc AS abc, r.\(unsafeRaw: m)_xyz AS xyz FROM classification_results r
            WHERE r.run_id = \(bind: run) AND (r.\(unsafeRaw: m)_abc IS NOT NULL OR r.\(unsafeRaw: m)_xyz IS NOT NULL)
            """)
        if let visible = scope.partnerVisible(SQLColumn("partner_id", table: "r")) {
            query.appendInterpolation(raw: " AND ")
            query.appendInterpolation(visible)
        }
        query.appendInterpolation(raw: " ORDER BY r.partner_id")
        return try await StreamRow.collect(sql, query) { row in
            row.uuid("partner_id").map { ($0.byteOrderKey, Cell(abc: row.string("abc"), xyz: row.string("xyz"))) }
        }
    }

    static func table(_ report: BCGReport) -> ReportFormat.Table {
        var rows: [[String?]] = []
        for cell in BCGMatrix.allCells {
            rows.append(["current", report.current.date.description, cell, String(report.current.cells[cell] ?? 0)])
        }
        if let previous = report.previous {
            for cell in BCGMatrix.allCells {
                rows.append(["previous", previous.date.description, cell, String(previous.cells[cell] ?? 0)])
            }
        }
        for move in report.transitions {
            rows.append(["transition", report.current.date.description, "\(move.from)>\(move.to)", String(move.count)])
        }
        return ReportFormat.Table(filename: "bcg-\(report.measure.rawValue)-\(report.current.date).csv",
                                  header: ["part", "date", "cell", "clients"], rows: rows)
    }
}
