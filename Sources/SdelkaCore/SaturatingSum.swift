/// Sums of money and counts that hold at the type's limit instead of trapping: reports add up
/// figures that clients entered, and one overflowing sum must not stop the server for everyone.
/// Amounts are bounded at the edge (`Money.limitUnits`), so a real sum never reaches the cap.
extension FixedWidthInteger {
    public func addingSaturated(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    public func subtractingSaturated(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other > 0 ? .min : .max
    }

    public func multipliedSaturated(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    public static func +| (lhs: inout Self, rhs: Self) { lhs = lhs.addingSaturated(rhs) }
}

infix operator +| : AssignmentPrecedence

extension Sequence where Element: FixedWidthInteger {
    public var saturatedSum: Element { reduce(0) { $0.addingSaturated($1) } }
}
