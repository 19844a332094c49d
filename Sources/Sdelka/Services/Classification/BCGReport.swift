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

    private struct Group: Decodable {
        var c_abc: String?
        var c_xyz: String?
        var p_abc: String?
        var p_xyz: String?
        var n: Int
    }

    static func make(measure: ClassificationMeasure, date: CalendarDate?, scope: AccessScope,
                     on sql: any SQLDatabase) async throws -> BCGReport {
        let current = try await ClassificationReports.run(measure: measure, date: date, on: sql)
        let previous = try await ClassificationStore.runs(measure: measure, before: current.date, limit: 1, on: sql).first
        let groups = try await counts(current: current.id, previous: previous?.id, measure: measure, scope: scope, on: sql)
        let empty = Dictionary(uniqueKeysWithValues: BCGMatrix.allCells.map { ($0, 0) })
        var now = empty, before = empty
        var quadrants = Dictionary(uniqueKeysWithValues: BCGMatrix.Quadrant.allCases.map { ($0.rawValue, 0) })
        var moves: [Transition] = []
        for group in groups {
            let to = BCGMatrix.cell(abc: group.c_abc, xyz: group.c_xyz)
            let from = BCGMatrix.cell(abc: group.p_abc, xyz: group.p_xyz)
            now[to, default: 0] += group.n
            before[from, default: 0] += group.n
            if group.c_abc != nil || group.c_xyz != nil {
                quadrants[BCGMatrix.quadrant(abc: group.c_abc, xyz: group.c_xyz).rawValue, default: 0] += group.n
            }
            if previous != nil { moves.append(Transition(from: from, to: to, count: group.n)) }
        }
        moves.sort { ($1.count, $0.from, $0.to) < ($0.count, $1.from, $1.to) }
        return BCGReport(measure: measure, current: Matrix(date: current.date, cells: now),
                         previous: previous.map { Matrix(date: $0.date, cells: before) },
                         transitions: moves, quadrants: quadrants)
    }

    /// Clients counted by their cell in each run, in one pass over both runs' results.
    private static func counts(current: UUID, previous: UUID?, measure: ClassificationMeasure, scope: AccessScope,
                               on sql: any SQLDatabase) async throws -> [Group] {
        let runs = [current] + (previous.map { [$0] } ?? [])
        let m = measure.column
        let visible = scope.partnerVisible(SQLColumn("partner_id", table: "r"))
        var query = SQLQueryString("""
            SELECT c_abc, c_xyz, p_abc, p_xyz, COUNT(*) AS n FROM (
              SELECT r.partner_id,
                MAX(CASE WHEN r.run_id = \(bind: current) THEN r.\(unsafeRaw: m)_abc END) AS c_abc,
                MAX(CASE WHEN r.run_id = \(bind: current) THEN r.\(unsafeRaw: m)_xyz END) AS c_xyz,
                MAX(CASE WHEN r.run_id <> \(bind: current) THEN r.\(unsafeRaw: m)_abc END) AS p_abc,
                MAX(CASE WHEN r.run_id <> \(bind: current) THEN r.\(unsafeRaw: m)_xyz END) AS p_xyz
              FROM classification_results r
              WHERE (r.\(unsafeRaw: m)_abc IS NOT NULL OR r.\(unsafeRaw: m)_xyz IS NOT NULL) AND r.run_id IN (
            """)
        for (index, run) in runs.enumerated() {
            query.appendInterpolation(raw: index == 0 ? "" : ", ")
            query.appendInterpolation(bind: run)
        }
        query.appendInterpolation(raw: ")")
        if let visible {
            query.appendInterpolation(raw: " AND ")
            query.appendInterpolation(visible)
        }
        query.appendInterpolation(raw: " GROUP BY r.partner_id) t GROUP BY c_abc, c_xyz, p_abc, p_xyz")
        return try await sql.raw(query).all(decoding: Group.self)
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
