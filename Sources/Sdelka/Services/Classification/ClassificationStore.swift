import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Classification history: runs and their results, written and read with SQLKit.
enum ClassificationStore {
    static let results = JSONRowsInsert(table: "classification_results", columns: [
        ("run_id", .uuid), ("measure", .text), ("partner_id", .uuid), ("date", .text),
        ("abc", .text), ("abc_value", .int), ("xyz", .text), ("xyz_value", .real),
    ])

    static func insert(_ run: ClassificationRunDTO, results rows: [[JSONRowsInsert.Cell]], on sql: any SQLDatabase) async throws {
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
        for chunk in rows.chunks(of: 10_000) {
            try await results.run(Array(chunk), on: sql)
        }
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
                    id: id, date: CalendarDate(date)!, classificationDate: CalendarDate(classification_date)!,
                    abcWindow: PeriodDTO(start: CalendarDate(abc_start)!, end: CalendarDate(date)!),
                    xyzWindow: PeriodDTO(start: CalendarDate(xyz_start)!, end: CalendarDate(xyz_end)!),
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
        let rows = try await query.orderBy("date", .descending).limit(limit).all(decoding: RunRow.self)
        return try rows.map { try $0.dto }.filter { run in measure.map { run.measures.contains($0) } ?? true }
    }

    /// Partners in the latest earlier run that classified by `measure`.
    static func partnersOfPreviousRun(before date: CalendarDate, measure: ClassificationMeasure,
                                      on sql: any SQLDatabase) async throws -> Set<UUID> {
        guard let previous = try await runs(measure: measure, before: date, on: sql).first else { return [] }
        struct Row: Decodable { var partner_id: UUID }
        let rows = try await sql.select().column("partner_id").from("classification_results")
            .where("run_id", .equal, SQLBind(previous.id)).where("measure", .equal, SQLBind(measure.rawValue))
            .all(decoding: Row.self)
        return Set(rows.map(\.partner_id))
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

    /// A run's results by a measure, for the partners `scope` lets the user see: biggest value first.
    static func results(of run: UUID, measure: ClassificationMeasure, scope: AccessScope,
                        on sql: any SQLDatabase) async throws -> [ResultRow] {
        var query = sql.select()
            .column(SQLColumn("partner_id", table: "r")).column(SQLColumn("code", table: "p")).column(SQLColumn("name", table: "p"))
            .column(SQLColumn("abc", table: "r")).column(SQLColumn("abc_value", table: "r"))
            .column(SQLColumn("xyz", table: "r")).column(SQLColumn("xyz_value", table: "r"))
            .from(SQLAlias(SQLIdentifier("classification_results"), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("partners"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "p"), .equal, SQLColumn("partner_id", table: "r"))
            .where(SQLColumn("run_id", table: "r"), .equal, SQLBind(run))
            .where(SQLColumn("measure", table: "r"), .equal, SQLBind(measure.rawValue))
        query = scope.apply(to: query, column: SQLColumn("access_group_id", table: "p"))
        return try await query
            .orderBy(SQLRaw("CASE WHEN r.abc_value IS NULL THEN 1 ELSE 0 END"))
            .orderBy(SQLOrderBy(expression: SQLColumn("abc_value", table: "r"), direction: SQLDirection.descending))
            .orderBy(SQLColumn("code", table: "p"))
            .all(decoding: ResultRow.self)
    }
}
