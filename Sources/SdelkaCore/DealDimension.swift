import Foundation

/// What deal analysis can group by (DOMAIN.md §6): the deal's own references, its source of
/// interest, its client's region, its competitors and the month it started.
public enum DealDimension: String, CaseIterable, Codable, Sendable {
    case responsible, kind, status, stage, partner, channel, event, region, lossReason, competitor, month

    /// At most this many levels of grouping at once.
    public static let maxLevels = 3

    /// Parses `groupBy=responsible,kind`: known names, no repeats, at least one, at most `maxLevels`.
    public static func parse(_ text: String) -> Result<[DealDimension], DimensionError> {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return .failure(.empty) }
        guard names.count <= maxLevels else { return .failure(.tooMany) }
        var result: [DealDimension] = []
        for name in names {
            guard let dimension = DealDimension(rawValue: name) else { return .failure(.unknown(name)) }
            guard !result.contains(dimension) else { return .failure(.repeated(name)) }
            result.append(dimension)
        }
        return .success(result)
    }
}

public enum DimensionError: Error, Equatable, Sendable {
    case empty, tooMany, unknown(String), repeated(String)

    public var reason: String {
        switch self {
        case .empty: return "must name at least one dimension"
        case .tooMany: return "may name at most three dimensions"
        case .unknown: return "must be a list of: " + DealDimension.allCases.map(\.rawValue).joined(separator: ", ")
        case .repeated: return "names a dimension twice"
        }
    }
}

/// The figures of one group of deals: win rate over its closed deals and the mean cycle of
/// those, in days from start to end.
public struct DealFigures: Equatable, Sendable {
    public var count = 0, open = 0, won = 0, lost = 0
    public var potentialCents: Int64 = 0, wonCents: Int64 = 0
    public var cycleDays: Int64 = 0, cycles = 0

    public init() {}

    public mutating func add(_ other: DealFigures) {
        count += other.count; open += other.open; won += other.won; lost += other.lost
        potentialCents +| other.potentialCents; wonCents +| other.wonCents
        cycleDays += other.cycleDays; cycles += other.cycles
    }

    /// `100 · won ÷ (won + lost)`, two decimals; nil when none is closed.
    public var winRate: Decimal? {
        won + lost == 0 ? nil : Funnel.rounded(Decimal(100 * won) / Decimal(won + lost), scale: 2)
    }

    /// Mean days from start to end of the closed deals, one decimal; nil when none is closed.
    public var meanCycleDays: Decimal? {
        cycles == 0 ? nil : Funnel.rounded(Decimal(cycleDays) / Decimal(cycles), scale: 1)
    }
}
