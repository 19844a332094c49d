import Foundation

/// Сегмент партнеров (DOMAIN.md §7): a manual list, a rule evaluated on every use (dynamic),
/// or a rule whose result is stored and refreshed on a schedule (periodic).
public enum SegmentKind: String, Codable, CaseIterable, Sendable {
    case manual, dynamic, periodic

    public var hasRule: Bool { self != .manual }
}

/// The rule of a dynamic or periodic segment: every criterion given must hold (AND); a
/// criterion left out does not filter. Sales windows given as `lastDays` end on the day the
/// rule is evaluated.
public struct SegmentRule: Codable, Equatable, Sendable {
    public struct Classes: Codable, Equatable, Sendable {
        public var measure: ClassificationMeasure
        public var abc: [ABCClass]?
        public var xyz: [XYZClass]?
        public init(measure: ClassificationMeasure, abc: [ABCClass]? = nil, xyz: [XYZClass]? = nil) {
            self.measure = measure; self.abc = abc; self.xyz = xyz
        }
    }

    /// Net revenue (sales less returns) and sales documents in a window.
    public struct Sales: Codable, Equatable, Sendable {
        public var lastDays: Int?
        public var from: CalendarDate?
        public var to: CalendarDate?
        public var minRevenue: Decimal?
        public var maxRevenue: Decimal?
        public var minDocuments: Int?
        public init(lastDays: Int? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil,
                    minRevenue: Decimal? = nil, maxRevenue: Decimal? = nil, minDocuments: Int? = nil) {
            self.lastDays = lastDays; self.from = from; self.to = to
            self.minRevenue = minRevenue; self.maxRevenue = maxRevenue; self.minDocuments = minDocuments
        }

        /// The window's first and last day as of `today`; nil ends are open.
        public func window(today: CalendarDate) -> (from: CalendarDate?, to: CalendarDate?) {
            if let lastDays { return (CalendarDate(dayNumber: today.dayNumber - lastDays + 1), today) }
            return (from, to)
        }
    }

    public var isClient: Bool?
    public var isSupplier: Bool?
    public var isCompetitor: Bool?
    /// `company` or `person`.
    public var kind: String?
    public var mainManagerIds: [UUID]?
    public var businessRegionIds: [UUID]?
    public var accessGroupIds: [UUID]?
    public var registeredFrom: CalendarDate?
    public var registeredTo: CalendarDate?
    /// Classes in the latest classification run.
    public var classes: Classes?
    public var sales: Sales?
    /// No sales document in the last N days (lapsed clients).
    public var noSalesDays: Int?
    public var hasOpenDeals: Bool?
    /// At least one interaction (any kind) with the partner or its contact persons in the last N days.
    public var interactionWithinDays: Int?
    /// No interaction with the partner or its contact persons in the last N days.
    public var noInteractionDays: Int?

    public init() {}

    public static let maxDays = 3_660

    public func validate(prefix: String = "rule") -> FieldErrors {
        var errors = FieldErrors()
        if let kind, kind != "company", kind != "person" { errors.add("\(prefix).kind", "must be one of: company, person") }
        if let from = registeredFrom, let to = registeredTo, to < from { errors.add("\(prefix).registeredTo", "must not be before registeredFrom") }
        if let classes, (classes.abc ?? []).isEmpty, (classes.xyz ?? []).isEmpty {
            errors.add("\(prefix).classes", "must name at least one ABC or XYZ class")
        }
        if let sales {
            if let days = sales.lastDays, !(1...Self.maxDays).contains(days) { errors.add("\(prefix).sales.lastDays", "must be from 1 to 3660") }
            if sales.lastDays != nil, sales.from != nil || sales.to != nil { errors.add("\(prefix).sales.lastDays", "cannot be combined with from and to") }
            if let from = sales.from, let to = sales.to, to < from { errors.add("\(prefix).sales.to", "must not be before from") }
            if let min = sales.minRevenue, let max = sales.maxRevenue, max < min { errors.add("\(prefix).sales.maxRevenue", "must not be below minRevenue") }
            for (name, amount) in [("minRevenue", sales.minRevenue), ("maxRevenue", sales.maxRevenue)] {
                if let amount, Money.cents(amount) == nil { errors.add("\(prefix).sales.\(name)", Money.amountMessage) }
            }
            if let documents = sales.minDocuments, documents < 0 { errors.add("\(prefix).sales.minDocuments", "must not be negative") }
            if sales.minRevenue == nil, sales.maxRevenue == nil, sales.minDocuments == nil {
                errors.add("\(prefix).sales", "must set minRevenue, maxRevenue or minDocuments")
            }
        }
        for (name, value) in [("noSalesDays", noSalesDays), ("interactionWithinDays", interactionWithinDays), ("noInteractionDays", noInteractionDays)] {
            if let days = value, !(1...Self.maxDays).contains(days) { errors.add("\(prefix).\(name)", "must be from 1 to 3660") }
        }
        return errors
    }
}
