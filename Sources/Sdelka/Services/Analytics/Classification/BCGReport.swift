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

    /// Clients counted by their pair of cells. PostgreSQL joins the two runs and counts the
    /// pairs itself (a hash full join: 56 ms for 2 × 40,000 clients, where streaming the rows
    /// out cost 500 ms); SQLite plans that full join as a nested loop (minutes), so there both
    /// runs' rows are read in primary-key order and merged by partner here.
    private static func counts(current: UUID, previous: UUID?, measure: ClassificationMeasure, scope: AccessScope,
                               on sql: any SQLDatabase) async throws -> [Pair: Int] {
        if sql.dialect.name != "sqlite" { return try await groupedCounts(current: current, previous: previous, measure: measure, scope: scope, on: sql) }
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

    private static func groupedCounts(current: UUID, previous: UUID?, measure: ClassificationMeasure, scope: AccessScope,
                                      on sql: any SQLDatabase) async throws -> [Pair: Int] {
        struct Row: Decodable { var c_abc: String?; var c_xyz: String?; var p_abc: String?; var p_xyz: String?; var n: Int }
        let rows = try await sql.raw("SELECT c.abc AS c_abc, c.xyz AS c_xyz, p.abc AS p_abc, p.xyz AS p_xyz, COUNT(*) AS n FROM ("
            + classes(of: current, measure: measure, scope: scope) + ") c FULL OUTER JOIN ("
            + classes(of: previous, measure: measure, scope: scope) + ") p ON p.partner_id = c.partner_id GROUP BY 1, 2, 3, 4")
            .all(decoding: Row.self)
        var pairs: [Pair: Int] = [:]
        for row in rows {
            // A side that is there has a class by at least one of the two (the rows' filter).
            let now = row.c_abc != nil || row.c_xyz != nil ? Cell(abc: row.c_abc, xyz: row.c_xyz) : nil
            let before = row.p_abc != nil || row.p_xyz != nil ? Cell(abc: row.p_abc, xyz: row.p_xyz) : nil
            pairs[Pair(current: now, previous: before), default: 0] += row.n
        }
        return pairs
    }

    /// A client's classes in one run; a run without the client has no cell (nil).
    private struct Cell: Hashable { var abc: String?, xyz: String? }
    private struct Pair: Hashable { var current: Cell?, previous: Cell? }

    /// The partners of a run the user may see with their classes by one measure (`partner_id`,
    /// `abc`, `xyz`); partners without a class by it are left out.
    private static func classes(of run: UUID?, measure: ClassificationMeasure, scope: AccessScope) -> SQLQueryString {
        let m = measure.column
        var query = SQLQueryString("""
            SELECT r.partner_id, r.\(unsafeRaw: m)_abc AS abc, r.\(unsafeRaw: m)_xyz AS xyz FROM classification_results r
            WHERE r.run_id = \(bind: run) AND (r.\(unsafeRaw: m)_abc IS NOT NULL OR r.\(unsafeRaw: m)_xyz IS NOT NULL)
            """)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "r"))
        return query
    }

    /// A run's cells by one measure, partner by partner in key order.
    private static func cells(of run: UUID, measure: ClassificationMeasure, scope: AccessScope,
                              on sql: any SQLDatabase) async throws -> [(key: (UInt64, UInt64), cell: Cell)] {
        var query = classes(of: run, measure: measure, scope: scope)
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
