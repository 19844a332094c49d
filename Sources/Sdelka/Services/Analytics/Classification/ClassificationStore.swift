import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Classification history: runs and their results, written and read with SQLKit.
enum ClassificationStore {
    /// Partners of the previous run without facts now get `unclassified` by every measure of
    /// this run, so that the history shows the client was lost; set-based, after the rest.
    static func markLost(_ run: ClassificationRunDTO, on sql: any SQLDatabase) async throws {
        guard let previous = try await runs(before: run.date, limit: 1, on: sql).first else { return }
        let columns = run.measures.flatMap { [$0.column + "_abc", $0.column + "_xyz"] }
        // EXCEPT rather than NOT EXISTS: PostgreSQL, with statistics taken before this run's
        // rows went in, planned the anti-join as a nested loop over a sequential scan and took
        // 190 s for 40,000 partners; a set difference has no such plan.
        try await sql.raw("""
            INSERT INTO classification_results (run_id, partner_id, date, \(unsafeRaw: columns.joined(separator: ", ")))
            SELECT \(bind: run.id), lost.partner_id, \(bind: run.date.description)\(unsafeRaw: String(repeating: ", 'unclassified'", count: columns.count))
            FROM (SELECT partner_id FROM classification_results WHERE run_id = \(bind: previous.id)
                  EXCEPT
                  SELECT partner_id FROM classification_results WHERE run_id = \(bind: run.id)) AS lost
            """).run()
    }

    /// The run recorded on `date`, if any, with its results.
    static func delete(runOn date: CalendarDate, on sql: any SQLDatabase) async throws {
        struct Run: Decodable { var id: UUID }
        guard let run = try await sql.select().column("id").from("classification_runs")
            .where("date", .equal, SQLBind(date.description)).first(decoding: Run.self) else { return }
        try await sql.delete(from: "classification_results").where("run_id", .equal, SQLBind(run.id)).run()
        try await sql.delete(from: "classification_runs").where("id", .equal, SQLBind(run.id)).run()
    }

    /// The run and its results.
    static func insert(_ run: ClassificationRunDTO, results: ClassificationResults, on sql: any SQLDatabase) async throws {
        let settings = String(decoding: try JSONEncoder().encode(run.settings), as: UTF8.self)
        try await sql.insert(into: "classification_runs")
            .columns("id", "date", "classification_date", "abc_start", "xyz_start", "xyz_end", "sub_periods", "settings",
                     "measures", "partners", "duration_ms", "created_at", "created_by")
            .values(SQLBind(run.id), SQLBind(run.date.description), SQLBind(run.classificationDate.description),
                    SQLBind(run.abcWindow.start.description), SQLBind(run.xyzWindow.start.description),
                    SQLBind(run.xyzWindow.end.description), SQLBind(run.subPeriods), SQLBind(settings),
                    SQLBind(run.measures.map(\.rawValue).joined(separator: ",")), SQLBind(run.partners),
                    SQLBind(run.durationMs), SQLBind(run.createdAt), SQLBind(run.createdBy))
            .run()
        try await results.insert(on: sql)
    }

    private struct RunRow: Decodable {
        var id: UUID
        var date: String
        var classification_date: String
        var abc_start: String
        var xyz_start: String
        var xyz_end: String
        var sub_periods: Int
        var settings: String
        var measures: String
        var partners: Int
        var duration_ms: Int
        var created_at: Date
        var created_by: UUID?

        var dto: ClassificationRunDTO {
            get throws {
                ClassificationRunDTO(
                    id: id, date: (CalendarDate(date) ?? .first), classificationDate: (CalendarDate(classification_date) ?? .first),
                    abcWindow: PeriodDTO(start: (CalendarDate(abc_start) ?? .first), end: (CalendarDate(date) ?? .first)),
                    xyzWindow: PeriodDTO(start: (CalendarDate(xyz_start) ?? .first), end: (CalendarDate(xyz_end) ?? .first)),
                    subPeriods: sub_periods, settings: try JSONDecoder().decode(ClassificationSettings.self, from: Data(settings.utf8)),
                    measures: measures.split(separator: ",").compactMap { ClassificationMeasure(rawValue: String($0)) },
                    partners: partners, durationMs: duration_ms, createdAt: created_at, createdBy: created_by)
            }
        }
    }

    /// Runs newest first; with `measure`, only those that classified by it; with `onOrBefore`,
    /// only those recorded on or before that date.
    static func runs(measure: ClassificationMeasure? = nil, onOrBefore date: CalendarDate? = nil, before: CalendarDate? = nil,
                     limit: Int = 100, on sql: any SQLDatabase) async throws -> [ClassificationRunDTO] {
        var query = sql.select().column(SQLLiteral.all).from("classification_runs")
        if let date { query = query.where("date", .lessThanOrEqual, SQLBind(date.description)) }
        if let before { query = query.where("date", .lessThan, SQLBind(before.description)) }
        // No measure's name is part of another's.
        if let measure { query = query.where("measures", .like, SQLBind("%\(measure.rawValue)%")) }
        let rows = try await query.orderBy("date", .descending).limit(limit).all(decoding: RunRow.self)
        return try rows.map { try $0.dto }
    }

    struct ResultRow: Decodable, Sendable {
        var partner_id: UUID
        var code: String?
        var name: String
        var abc: String?
        var abc_value: Int64?
        var xyz: String?
        var xyz_value: Double?
    }

    /// A run's results by a measure, for the partners `scope` lets the user see: biggest value
    /// first; only one class with `abc`/`xyz`; one page with `page` (limit, offset).
    static func results(of run: UUID, measure: ClassificationMeasure, scope: AccessScope, abc: ABCClass? = nil, xyz: XYZClass? = nil,
                        page: (limit: Int, offset: Int)? = nil, on sql: any SQLDatabase) async throws -> [ResultRow] {
        let m = measure.column
        var query = sql.select()
            .column(SQLColumn("partner_id", table: "r")).column(SQLColumn("code", table: "p")).column(SQLColumn("name", table: "p"))
            .column(SQLAlias(SQLColumn(m + "_abc", table: "r"), as: SQLIdentifier("abc")))
            .column(SQLAlias(SQLColumn(m + "_abc_value", table: "r"), as: SQLIdentifier("abc_value")))
            .column(SQLAlias(SQLColumn(m + "_xyz", table: "r"), as: SQLIdentifier("xyz")))
            .column(SQLAlias(SQLColumn(m + "_xyz_value", table: "r"), as: SQLIdentifier("xyz_value")))
        query = filtered(query, run: run, measure: measure, scope: scope, abc: abc, xyz: xyz)
            .orderBy(SQLRaw("CASE WHEN r.\(m)_abc_value IS NULL THEN 1 ELSE 0 END"))
            .orderBy(SQLOrderBy(expression: SQLColumn(m + "_abc_value", table: "r"), direction: SQLDirection.descending))
            .orderBy(SQLColumn("code", table: "p"))
        if let page { query = query.limit(page.limit).offset(page.offset) }
        return try await query.all(decoding: ResultRow.self)
    }

    /// The clients of a run by a measure per pair of classes, with the sum of their ABC values.
    struct ClassTotal: Decodable, Sendable {
        var abc: String?
        var xyz: String?
        var n: Int
        var total: Int64?
    }

    static func summary(of run: UUID, measure: ClassificationMeasure, scope: AccessScope,
                        on sql: any SQLDatabase) async throws -> [ClassTotal] {
        let m = measure.column
        var query = sql.select()
            .column(SQLAlias(SQLColumn(m + "_abc", table: "r"), as: SQLIdentifier("abc")))
            .column(SQLAlias(SQLColumn(m + "_xyz", table: "r"), as: SQLIdentifier("xyz")))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .column(SQLAlias(SQLRaw("CAST(SUM(r.\(m)_abc_value) AS BIGINT)"), as: SQLIdentifier("total")))
        query = filtered(query, run: run, measure: measure, scope: scope, abc: nil, xyz: nil)
        return try await query.groupBy(SQLColumn(m + "_abc", table: "r")).groupBy(SQLColumn(m + "_xyz", table: "r"))
            .all(decoding: ClassTotal.self)
    }

    /// The ABC values of the classified clients (A, B, C), biggest first: the Pareto curve.
    static func values(of run: UUID, measure: ClassificationMeasure, scope: AccessScope,
                       on sql: any SQLDatabase) async throws -> [(value: Int64, abc: String)] {
        let m = measure.column
        var query = SQLQueryString("""
            SELECT r.\(unsafeRaw: m)_abc_value AS value, r.\(unsafeRaw: m)_abc AS abc FROM classification_results r
            WHERE r.run_id = \(bind: run) AND r.\(unsafeRaw: m)_abc IN ('A', 'B', 'C')
            """)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "r"))
        query.appendInterpolation(unsafeRaw: " ORDER BY r.\(m)_abc_value DESC")
        return try await StreamRow.collect(sql, query) { row in (row.int64("value") ?? 0, row.string("abc") ?? "") }
    }

    private static func filtered(_ query: SQLSelectBuilder, run: UUID, measure: ClassificationMeasure, scope: AccessScope,
                                 abc: ABCClass?, xyz: XYZClass?) -> SQLSelectBuilder {
        let m = measure.column
        var query = query
            .from(SQLAlias(SQLIdentifier("classification_results"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("partners"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "p"), .equal, SQLColumn("partner_id", table: "r"))
            .where(SQLColumn("run_id", table: "r"), .equal, SQLBind(run))
            .where(SQLRaw("(r.\(m)_abc IS NOT NULL OR r.\(m)_xyz IS NOT NULL)"))
        if let abc { query = query.where(SQLColumn(m + "_abc", table: "r"), .equal, SQLBind(abc.rawValue)) }
        if let xyz { query = query.where(SQLColumn(m + "_xyz", table: "r"), .equal, SQLBind(xyz.rawValue)) }
        return scope.apply(to: query, column: SQLColumn("access_group_id", table: "p"))
    }
}

extension ClassificationMeasure {
    /// The prefix of the measure's columns in `classification_results`.
    var column: String {
        switch self {
        case .revenue: "revenue"
        case .grossProfit: "gross_profit"
        case .salesCount: "sales_count"
        }
    }
}
