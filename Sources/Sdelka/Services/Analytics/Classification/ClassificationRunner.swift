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
        let measures = features.classificationMeasures
        guard !measures.isEmpty else { throw FeatureOff(.abcxyzRevenue) }
        let abcWindow = ClassificationWindow(date: date, unit: settings.abc.unit, count: settings.abc.count)
        let xyzWindow = ClassificationWindow(date: date, unit: settings.xyz.unit, count: settings.xyz.count)
        let subPeriods = xyzWindow.subPeriods(of: settings.xyz.subUnit).count
        return try await db.writeTransaction { tx in
            let sql = tx.sql
            let facts = try await ClassificationFacts.load(abc: abcWindow, xyz: xyzWindow, subUnit: settings.xyz.subUnit, on: sql)
            var run = ClassificationRunDTO(
                id: TimeOrderedID.make(), date: abcWindow.end, classificationDate: date,
                abcWindow: PeriodDTO(start: abcWindow.start, end: abcWindow.end),
                xyzWindow: PeriodDTO(start: xyzWindow.start, end: xyzWindow.end), subPeriods: subPeriods,
                settings: settings, measures: measures, partners: facts.partners.count,
                durationMs: 0, createdAt: Date(), createdBy: author.userID)
            try await ClassificationStore.delete(runOn: run.date, on: sql)
            try await ClassificationStore.insert(run, results: Self.results(facts, measures: measures, subPeriods: subPeriods, run: run), on: sql)
            try await ClassificationStore.markLost(run, on: sql)
            run.durationMs = Int((ContinuousClock.now - clock) / .milliseconds(1))
            try await sql.update("classification_runs").set("duration_ms", to: SQLBind(run.durationMs))
                .where("id", .equal, SQLBind(run.id)).run()
            try await Audit.record(.create, objectType: "classificationRun", objectID: run.id.uuidString, changes: [
                FieldChange(field: "date", old: nil, new: .string(run.date.description)),
                FieldChange(field: "measures", old: nil, new: .string(measures.map(\.rawValue).joined(separator: ", "))),
                FieldChange(field: "partners", old: nil, new: .number(Decimal(run.partners))),
            ], by: author, on: tx)
            return run
        }
    }

    /// One entry per partner with facts in either window, in the order of the partner key: the
    /// classes and values of every measure the run classifies by, none for the others.
    static func results(_ facts: ClassificationFacts, measures: [ClassificationMeasure], subPeriods: Int,
                        run: ClassificationRunDTO) -> ClassificationResults {
        typealias Classes = ClassificationResults.Classes
        let inABC = facts.totals.indices.filter { facts.totals[$0] != nil }
        let inXYZ = facts.inXYZ.indices.filter { facts.inXYZ[$0] }
        let order = facts.partners.indices.sorted { facts.partners[$0].byteOrderKey < facts.partners[$1].byteOrderKey }
        var byMeasure = [[Classes]](repeating: [], count: ClassificationMeasure.allCases.count)
        for (measureIndex, measure) in ClassificationMeasure.allCases.enumerated() where measures.contains(measure) {
            // ABC and XYZ each see the partners with facts in their own window.
            var of = [Classes](repeating: Classes(), count: facts.partners.count)
            let abc = ABCXYZ.abc(inABC.map { facts.totals[$0]!.value(measure) }, ranks: inABC.map { facts.ranks[$0] })
            for (k, i) in inABC.enumerated() { of[i].abc = abc[k]; of[i].value = facts.totals[i]!.value(measure) }
            let cvs = inXYZ.map { ABCXYZ.coefficientOfVariation(facts.moments(of: $0, measureIndex), subPeriods: subPeriods) }
            let xyz = ABCXYZ.xyz(cvs, ranks: inXYZ.map { facts.ranks[$0] })
            for (k, i) in inXYZ.enumerated() { of[i].xyz = xyz[k]; of[i].cv = cvs[k] }
            byMeasure[measureIndex] = order.map { of[$0] }
        }
        return ClassificationResults(run: run, partners: order.map { facts.partners[$0] }, byMeasure: byMeasure)
    }
}
