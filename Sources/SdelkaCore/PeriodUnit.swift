/// Period units of the ABC/XYZ settings (DOMAIN.md §6). A decade is a third of a month:
/// days 1–10, 11–20 and 21 to the end.
public enum PeriodUnit: String, Codable, CaseIterable, Sendable {
    case day, week, decade, month, quarter, halfYear, year

    /// Whether periods of this unit fit a whole number of times into one period of `outer`,
    /// so that every sub-period of an XYZ window lies inside the window.
    public func divides(_ outer: PeriodUnit) -> Bool {
        if self == outer || self == .day { return true }
        switch self {
        case .week, .day: return false
        case .decade: return [.month, .quarter, .halfYear, .year].contains(outer)
        case .month: return [.quarter, .halfYear, .year].contains(outer)
        case .quarter: return [.halfYear, .year].contains(outer)
        case .halfYear: return outer == .year
        case .year: return false
        }
    }
}
