import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Runs ABC/XYZ classification for a date by every enabled measure and records it as history
/// (DOMAIN.md §6). A run for a record date that already has one replaces it.
struct ClassificationRunner {
    let db: any Database
    let author: ChangeAuthor

    func run(date: CalendarDate) async throws -> ClassificationRunDTO {
        let clock = ContinuousClock.now
        let settings = try await SettingsStore.classification(on: db)
        let features = try await SettingsStore.features(on: db)
        let measures = ClassificationMeasure.allCases.filter { features.isEnabled($0.feature) }
        guard !measures.isEmpty else { throw APIError.featureDisabled(.abcxyzRevenue) }
        let abcWindow = ClassificationWindow(date: date, unit: settings.abc.unit, count: settings.abc.count)
        let xyzWindow = ClassificationWindow(date: date, unit: settings.xyz.unit, count: settings.xyz.count)
        let subPeriods = xyzWindow.subPeriods(of: settings.xyz.subUnit).count
        return try await db.transaction { tx in
            let sql = tx.sql
            let totals = try await ClassificationFacts.totals(from: abcWindow.start, to: abcWindow.end, on: sql)
            let moments = try await ClassificationFacts.moments(from: xyzWindow.start, to: xyzWindow.end,
                                                                subUnit: settings.xyz.subUnit, on: sql)
            let codes = try await ClassificationFacts.codes(from: min(abcWindow.start, xyzWindow.start),
                                                            to: max(abcWindow.end, xyzWindow.end), on: sql)
            let run = ClassificationRunDTO(
                id: TimeOrderedID.make(), date: abcWindow.end, classificationDate: date,
                abcWindow: PeriodDTO(start: abcWindow.start, end: abcWindow.end),
                xyzWindow: PeriodDTO(start: xyzWindow.start, end: xyzWindow.end), subPeriods: subPeriods,
                settings: settings, measures: measures, partners: Set(totals.keys).union(moments.keys).count,
                durationMs: 0, createdAt: Date(), createdBy: author.userID)
            try await sql.delete(from: "classification_runs").where("date", .equal, SQLBind(run.date.description)).run()
            var results: [[JSONRowsInsert.Cell]] = []
            for measure in measures {
                let previous = try await ClassificationStore.partnersOfPreviousRun(before: run.date, measure: measure, on: sql)
                results += Self.classify(measure, totals: totals, moments: moments, subPeriods: subPeriods, codes: codes,
                                         previous: previous, run: run)
            }
            var stored = run
            stored.durationMs = Int((ContinuousClock.now - clock) / .milliseconds(1))
            try await ClassificationStore.insert(stored, results: results, on: sql)
            try await Audit.record(.create, objectType: "classificationRun", objectID: run.id.uuidString, changes: [
                FieldChange(field: "date", old: nil, new: .string(run.date.description)),
                FieldChange(field: "measures", old: nil, new: .string(measures.map(\.rawValue).joined(separator: ", "))),
                FieldChange(field: "partners", old: nil, new: .number(Decimal(run.partners))),
            ], by: author, on: tx)
            return stored
        }
    }

    /// The rows of one measure: every partner with facts in either window, and `unclassified`
    /// for those of the previous run that have none now.
    static func classify(_ measure: ClassificationMeasure, totals: [UUID: ClassificationFacts.Totals],
                         moments: [UUID: [ABCXYZ.Moments]], subPeriods: Int, codes: [UUID: String],
                         previous: Set<UUID>, run: ClassificationRunDTO) -> [[JSONRowsInsert.Cell]] {
        let measureIndex = ClassificationMeasure.allCases.firstIndex(of: measure)!
        let abc = ABCXYZ.abc(totals.map { id, t in (ABCXYZ.Item(id: id, code: codes[id] ?? ""), t.value(measure)) })
        var cvs: [UUID: Double] = [:]
        cvs.reserveCapacity(moments.count)
        for (id, m) in moments { cvs[id] = ABCXYZ.coefficientOfVariation(m[measureIndex], subPeriods: subPeriods) }
        let xyz = ABCXYZ.xyz(cvs.map { id, cv in (ABCXYZ.Item(id: id, code: codes[id] ?? ""), cv) })
        let date = JSONRowsInsert.Cell.text(run.date.description)
        let runID = JSONRowsInsert.Cell.uuid(run.id), measureCell = JSONRowsInsert.Cell.text(measure.rawValue)
        var rows: [[JSONRowsInsert.Cell]] = []
        rows.reserveCapacity(max(totals.count, moments.count) + previous.count)
        for id in Set(totals.keys).union(moments.keys) {
            rows.append([runID, measureCell, .uuid(id), date,
                         .text(abc[id]?.rawValue), totals[id].map { .int(Int($0.value(measure))) } ?? .null,
                         .text(xyz[id]?.rawValue), cvs[id].map { .real($0) } ?? .null])
        }
        for id in previous where totals[id] == nil && moments[id] == nil {
            rows.append([runID, measureCell, .uuid(id), date, .text(ABCClass.unclassified.rawValue), .null,
                         .text(XYZClass.unclassified.rawValue), .null])
        }
        return rows
    }
}
