/// The dates a client may send, and the limits that keep date arithmetic from trapping.
extension CalendarDate {
    public static let first = CalendarDate(unchecked: 1, 1, 1)
    public static let last = CalendarDate(unchecked: 9999, 12, 31)
    static let firstDayNumber = first.dayNumber
    static let lastDayNumber = last.dayNumber

    /// 1900-01-01…9999-12-30: every period a request names then has a day after it and a
    /// window of years before it that are still dates.
    public static let accepted = CalendarDate(unchecked: 1900, 1, 1)...CalendarDate(unchecked: 9999, 12, 30)
    public static let acceptedMessage = "must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30"

    /// Parses `YYYY-MM-DD` as a request may carry it: nil outside `accepted`.
    public init?(accepting text: String) {
        guard let date = CalendarDate(text), Self.accepted.contains(date) else { return nil }
        self = date
    }

    /// For constants and for values already held to years 1…9999.
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
}
