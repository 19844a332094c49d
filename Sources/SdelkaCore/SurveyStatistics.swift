import Foundation

/// The results of one question over the questionnaires answered (DOMAIN.md §7): how many chose
/// each option, and for numbers and scales the mean, median, least and greatest; for a 0–10
/// scale the Net Promoter Score. Inputs are what SQL counts: a count per value.
public enum SurveyStatistics {
    public struct OptionShare: Codable, Equatable, Sendable {
        public var value: String
        public var count: Int
        /// Percent of those who answered the question, two decimals.
        public var share: Decimal
        public init(value: String, count: Int, share: Decimal) {
            self.value = value
            self.count = count
            self.share = share
        }
    }

    public struct Numbers: Equatable, Sendable {
        public var count: Int
        public var mean: Decimal
        public var median: Decimal
        public var min: Decimal
        public var max: Decimal
    }

    /// Every option in the template's order (those nobody chose with 0), then any other value
    /// given; `answered` counts questionnaires that answered, which several-of may exceed in sum.
    public static func options(_ counts: [String: Int], order: [String], answered: Int) -> [OptionShare] {
        let others = counts.keys.filter { !order.contains($0) }.sorted()
        return (order + others).map { value in
            let count = counts[value] ?? 0
            return OptionShare(value: value, count: count,
                               share: answered == 0 ? 0 : Funnel.rounded(Decimal(count) * 100 / Decimal(answered), scale: 2))
        }
    }

    /// From a count per value: mean (two decimals), median (the middle value, or the mean of the
    /// two middle ones), least and greatest; nil without answers.
    public static func numbers(_ histogram: [(value: Decimal, count: Int)]) -> Numbers? {
        let sorted = histogram.filter { $0.count > 0 }.sorted { $0.value < $1.value }
        let count = sorted.reduce(0) { $0 + $1.count }
        guard count > 0, let first = sorted.first, let last = sorted.last else { return nil }
        let sum = sorted.reduce(Decimal(0)) { $0 + $1.value * Decimal($1.count) }
        func value(at position: Int) -> Decimal {
            var seen = 0
            for entry in sorted {
                seen += entry.count
                if position < seen { return entry.value }
            }
            return last.value
        }
        let median = count % 2 == 1 ? value(at: count / 2) : (value(at: count / 2 - 1) + value(at: count / 2)) / 2
        return Numbers(count: count, mean: Funnel.rounded(sum / Decimal(count), scale: 2), median: median, min: first.value, max: last.value)
    }

    /// Net Promoter Score of a 0–10 scale: the percent of promoters (9–10) minus the percent of
    /// detractors (0–6), in points, one decimal; nil without answers.
    public static func nps(_ histogram: [(value: Decimal, count: Int)]) -> Decimal? {
        let total = histogram.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        let promoters = histogram.filter { $0.value >= 9 }.reduce(0) { $0 + $1.count }
        let detractors = histogram.filter { $0.value <= 6 }.reduce(0) { $0 + $1.count }
        return Funnel.rounded(Decimal(promoters - detractors) * 100 / Decimal(total), scale: 1)
    }
}
