/// How ABC/XYZ windows are cut (ARCHITECTURE.md, settings/classification).
public struct ClassificationSettings: Codable, Equatable, Sendable {
    public struct ABC: Codable, Equatable, Sendable {
        public var unit: PeriodUnit
        public var count: Int
        public init(unit: PeriodUnit, count: Int) { self.unit = unit; self.count = count }
    }

    public struct XYZ: Codable, Equatable, Sendable {
        public var unit: PeriodUnit
        public var count: Int
        public var subUnit: PeriodUnit
        public init(unit: PeriodUnit, count: Int, subUnit: PeriodUnit) {
            self.unit = unit; self.count = count; self.subUnit = subUnit
        }
    }

    public var abc: ABC
    public var xyz: XYZ
    /// Classification runs by itself at the start of every period of this unit, for that
    /// day; nil (the default) runs it only on demand.
    public var schedule: PeriodUnit?

    public init(abc: ABC, xyz: XYZ, schedule: PeriodUnit? = nil) { self.abc = abc; self.xyz = xyz; self.schedule = schedule }

    public static let `default` = ClassificationSettings(
        abc: ABC(unit: .month, count: 12),
        xyz: XYZ(unit: .month, count: 12, subUnit: .month)
    )

    public static let countRange = 1...366

    public func validate() throws {
        var errors = FieldErrors()
        let range = Self.countRange
        if !range.contains(abc.count) {
            errors.add("abc.count", "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        if !range.contains(xyz.count) {
            errors.add("xyz.count", "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        if !xyz.subUnit.divides(xyz.unit) {
            errors.add("xyz.subUnit", "a \(xyz.subUnit.rawValue) does not fit a whole number of times into a \(xyz.unit.rawValue)")
        }
        try errors.check()
    }
}
