/// Where periods of a unit begin and how they follow one another. Weeks begin on Monday;
/// decades on the 1st, 11th and 21st; quarters, half-years and years on January's first.
extension PeriodUnit {
    /// The first day of the period of this unit that contains `date`.
    public func start(of date: CalendarDate) -> CalendarDate {
        switch self {
        case .day:
            return date
        case .week:
            return date.adding(days: 1 - date.isoWeekday)
        case .decade:
            return CalendarDate(year: date.year, month: date.month, day: min(date.day - 1, 20) / 10 * 10 + 1)!
        case .month, .quarter, .halfYear, .year:
            let months = monthsPerPeriod
            return date.firstOfMonth(addingMonths: -((date.month - 1) % months))
        }
    }

    /// The first day of the period `count` periods after (before, when negative) the one
    /// that begins on `start`.
    public func advance(_ start: CalendarDate, by count: Int) -> CalendarDate {
        switch self {
        case .day:
            return start.adding(days: count)
        case .week:
            return start.adding(days: 7 * count)
        case .decade:
            let index = (start.year * 12 + start.month - 1) * 3 + (start.day - 1) / 10 + count
            let month = index / 3
            return CalendarDate(year: month / 12, month: month % 12 + 1, day: index % 3 * 10 + 1)!
        case .month, .quarter, .halfYear, .year:
            return start.firstOfMonth(addingMonths: count * monthsPerPeriod)
        }
    }

    private var monthsPerPeriod: Int {
        switch self {
        case .quarter: 3
        case .halfYear: 6
        case .year: 12
        default: 1
        }
    }
}

/// The N whole periods that end just before the period containing the classification date
/// (DOMAIN.md §6): date 2026-11-28, month × 12 → 2025-11-01 … 2026-10-31.
public struct ClassificationWindow: Equatable, Sendable {
    public let start: CalendarDate
    /// The last day, inclusive: the date results are recorded as of.
    public let end: CalendarDate

    public init(date: CalendarDate, unit: PeriodUnit, count: Int) {
        let current = unit.start(of: date)
        start = unit.advance(current, by: -count)
        end = current.adding(days: -1)
    }

    /// The first days of the sub-periods of `unit` that tile the window.
    public func subPeriods(of unit: PeriodUnit) -> [CalendarDate] {
        var starts: [CalendarDate] = []
        var next = unit.start(of: start)
        while next <= end {
            starts.append(next)
            next = unit.advance(next, by: 1)
        }
        return starts
    }
}
