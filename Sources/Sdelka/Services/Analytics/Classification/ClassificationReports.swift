import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// The ABC/XYZ report and the BCG matrix, read from the stored history.
enum ClassificationReports {
    /// The run a report shows: the latest one by `measure` recorded on or before `date` (the
    /// classification date itself finds the run it made), or the latest of all.
    static func run(measure: ClassificationMeasure, date: CalendarDate?, on sql: any SQLDatabase) async throws -> ClassificationRunDTO {
        guard let run = try await ClassificationStore.runs(measure: measure, onOrBefore: date, on: sql).first else {
            throw NotFound(message: "There is no classification by \(measure.rawValue)\(date.map { " on or before \($0)" } ?? "") yet.")
        }
        return run
    }

    /// With `page`, one page of the clients and their `total`; without it, every client.
    static func abcXYZ(measure: ClassificationMeasure, date: CalendarDate?, scope: AccessScope, abc: ABCClass? = nil, xyz: XYZClass? = nil,
                       page: PageRequest? = nil, on sql: any SQLDatabase) async throws -> ABCXYZReportDTO {
        try await abcXYZ(of: run(measure: measure, date: date, on: sql), measure: measure, scope: scope, abc: abc, xyz: xyz, page: page, on: sql)
    }

    /// The same for a run already found; `summary`, when the caller has read it, gives the
    /// total without reading it again.
    static func abcXYZ(of run: ClassificationRunDTO, measure: ClassificationMeasure, scope: AccessScope, abc: ABCClass?, xyz: XYZClass?,
                       page: PageRequest?, summary: [ClassificationStore.ClassTotal]? = nil,
                       on sql: any SQLDatabase) async throws -> ABCXYZReportDTO {
        let rows = try await ClassificationStore.results(of: run.id, measure: measure, scope: scope, abc: abc, xyz: xyz,
                                                          page: page.map { ($0.per, $0.offset) }, on: sql)
        var total: Int?
        if page != nil {
            var classes = summary ?? []
            if summary == nil { classes = try await ClassificationStore.summary(of: run.id, measure: measure, scope: scope, on: sql) }
            total = classes.filter { (abc == nil || $0.abc == abc?.rawValue) && (xyz == nil || $0.xyz == xyz?.rawValue) }
                .reduce(0) { $0 + $1.n }
        }
        return ABCXYZReportDTO(
            date: run.date, windowStart: run.abcWindow.start, windowEnd: run.abcWindow.end,
            xyzWindowStart: run.xyzWindow.start, xyzWindowEnd: run.xyzWindow.end, measure: measure,
            total: total, page: page?.page, per: page?.per,
            items: rows.map { row in
                ABCXYZReportDTO.Item(
                    partnerId: row.partner_id, partnerCode: row.code, partnerName: row.name,
                    abc: row.abc.flatMap(ABCClass.init(rawValue:)), abcValue: row.abc_value.map(measure.decimal),
                    xyz: row.xyz.flatMap(XYZClass.init(rawValue:)), xyzValue: row.xyz_value.map(Self.percent))
            })
    }

    /// A CV shown with two decimals.
    static func percent(_ value: Double) -> Decimal {
        Decimal(string: String(format: "%.2f", value)) ?? 0
    }

    static func table(_ report: ABCXYZReportDTO) -> ReportFormat.Table {
        ReportFormat.Table(
            filename: "abc-xyz-\(report.measure.rawValue)-\(report.date).csv",
            header: ["partner_code", "partner_name", "abc", "abc_value", "xyz", "xyz_value"],
            rows: report.items.map { [$0.partnerCode, $0.partnerName, $0.abc?.rawValue, $0.abcValue?.description, $0.xyz?.rawValue, $0.xyzValue?.description] })
    }
}
