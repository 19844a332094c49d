import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/partners/{id}/classification`: a client's results in the latest runs, newest
/// first, and its relationship stage (DOMAIN.md §6) from the latest XYZ result by the stage
/// measure: none → potential, Z → oneOff, unclassified → lost, X or Y → regular.
struct PartnerClassificationDTO: Content {
    struct Result: Content, Equatable {
        var date: CalendarDate
        var measure: ClassificationMeasure
        var abc: ABCClass?
        var abcValue: Decimal?
        var xyz: XYZClass?
        var xyzValue: Decimal?
    }

    var relationshipStage: RelationshipStage
    var stageMeasure: ClassificationMeasure?
    var history: [Result]

    /// The results of the two newest runs that have any for the client.
    var lastTwoRuns: [Result] {
        let dates = Set(Set(history.map(\.date)).sorted(by: >).prefix(2))
        return history.filter { dates.contains($0.date) }
    }

    /// The runs read: a client's history in the last year of monthly runs.
    static let runs = 12

    static func load(partner: UUID, on db: any Database) async throws -> PartnerClassificationDTO {
        let features = try await SettingsStore.features(on: db)
        let enabled = features.classificationMeasures
        let stageMeasure = enabled.contains(.revenue) ? .revenue : enabled.first
        let sql = db.sql
        let runs = try await ClassificationStore.runs(limit: runs, on: sql)
        guard !runs.isEmpty else { return PartnerClassificationDTO(relationshipStage: .potential, stageMeasure: stageMeasure, history: []) }
        let dates = Dictionary(uniqueKeysWithValues: runs.map { ($0.id, $0.date) })
        // One primary-key lookup per run: results are keyed by run, then partner.
        let rows = try await sql.select().column(SQLLiteral.all).from("classification_results")
            .where("partner_id", .equal, SQLBind(partner))
            .where("run_id", .in, SQLBind.group(runs.map(\.id)))
            .all()
        var history: [Result] = []
        for row in rows {
            guard let run = try? row.decode(column: "run_id", as: UUID.self), let date = dates[run] else { continue }
            for measure in enabled {
                let m = measure.column
                let abc = try row.decode(column: m + "_abc", as: String?.self).flatMap(ABCClass.init(rawValue:))
                let xyz = try row.decode(column: m + "_xyz", as: String?.self).flatMap(XYZClass.init(rawValue:))
                guard abc != nil || xyz != nil else { continue }
                history.append(Result(date: date, measure: measure, abc: abc,
                                      abcValue: try row.decode(column: m + "_abc_value", as: Int64?.self).map(measure.decimal),
                                      xyz: xyz, xyzValue: try row.decode(column: m + "_xyz_value", as: Double?.self).map(ClassificationReports.percent)))
            }
        }
        // Newest first; within a date, in the measures' order.
        let order = { (m: ClassificationMeasure) in ClassificationMeasure.allCases.firstIndex(of: m)! }
        history.sort { $0.date != $1.date ? $0.date > $1.date : order($0.measure) < order($1.measure) }
        let latestXYZ = history.first { $0.measure == stageMeasure && $0.xyz != nil }?.xyz
        return PartnerClassificationDTO(relationshipStage: RelationshipStage(latestXYZ: latestXYZ), stageMeasure: stageMeasure, history: history)
    }
}
