import Foundation
import SdelkaCore
import Vapor

struct PeriodDTO: Content, Equatable {
    var start: CalendarDate
    var end: CalendarDate
}

/// One classification run: its record date (the last day of the ABC window), the windows it
/// read and the measures it classified by.
struct ClassificationRunDTO: Content, Equatable {
    var id: UUID
    var date: CalendarDate
    var classificationDate: CalendarDate
    var abcWindow: PeriodDTO
    var xyzWindow: PeriodDTO
    var subPeriods: Int
    var settings: ClassificationSettings
    var measures: [ClassificationMeasure]
    var partners: Int
    var durationMs: Int
    var createdAt: Date
    var createdBy: UUID?
}

/// `GET /api/v1/reports/abc-xyz`: exactly the shape of ARCHITECTURE.md, plus the XYZ window.
struct ABCXYZReportDTO: Content {
    struct Item: Content, Equatable {
        var partnerId: UUID
        var partnerCode: String?
        var partnerName: String
        var abc: ABCClass?
        var abcValue: Decimal?
        var xyz: XYZClass?
        var xyzValue: Decimal?
    }

    var date: CalendarDate
    var windowStart: CalendarDate
    var windowEnd: CalendarDate
    var xyzWindowStart: CalendarDate
    var xyzWindowEnd: CalendarDate
    var measure: ClassificationMeasure
    /// Only when a page was asked for.
    var total: Int?
    var page: Int?
    var per: Int?
    var items: [Item]
}

extension ClassificationMeasure {
    /// The stored ABC value as the API shows it: money for the two money measures, a count otherwise.
    func decimal(_ stored: Int64) -> Decimal {
        self == .salesCount ? Decimal(stored) : Money.decimal(cents: stored)
    }
}
