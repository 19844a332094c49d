/// The adaptive threshold walk of DOMAIN.md §6 that cuts a sorted list into three classes.
///
/// The cumulative percentages `c_i` are given as numerators over one positive denominator,
/// so that ABC can walk in exact integers; only their ratios to the threshold matter.
public enum AdaptiveWalk {
    /// How many leading items take the first class and how many the second; the rest
    /// (the item that stopped the walk, those after it and the last) take the third.
    public static func split<N: Numeric & Comparable>(_ c: [N]) -> (first: Int, second: Int) {
        let n = c.count
        guard n > 1 else { return (0, 0) }
        var remaining = c.reduce(0, +)
        // t = thresholdSum / divisor, kept as a fraction so that `c_i > t` needs no division.
        var thresholdSum = remaining
        var divisor = N(exactly: n + 1)!
        var inSecond = false
        var counts = (first: 0, second: 0)
        for i in 0..<(n - 1) {
            if c[i] * divisor > thresholdSum {
                if inSecond { break }
                inSecond = true
                thresholdSum = remaining
                divisor = N(exactly: n - i)!
            }
            if inSecond { counts.second += 1 } else { counts.first += 1 }
            remaining -= c[i]
        }
        return counts
    }
}
