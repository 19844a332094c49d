import Foundation

/// How many closed deals of some set were won and lost.
public struct WinTally: Equatable, Sendable {
    public var won: Int
    public var lost: Int
    public init(won: Int = 0, lost: Int = 0) {
        self.won = won
        self.lost = lost
    }

    /// `100 · won ÷ (won + lost)`; 0 when none of the deals is closed.
    public var rate: Decimal {
        won + lost == 0 ? 0 : Decimal(100 * won) / Decimal(won + lost)
    }
}

public enum DealStatus: String, Codable, CaseIterable, Sendable {
    case open, won, lost
}

/// Вероятность (DOMAIN.md §4): for an open deal, the mean of those of the manager's estimate
/// and the four win rates (the current stage's, the responsible's, the partner's, the kind's)
/// that are above zero; 0 for a lost deal and 100 for a won one. Shown with one decimal.
public enum DealProbability {
    public static func compute(status: DealStatus, managerEstimate: Int?, stage: WinTally?, responsible: WinTally?,
                               partner: WinTally?, kind: WinTally?) -> Decimal {
        switch status {
        case .won: return 100
        case .lost: return 0
        case .open:
            let components = [managerEstimate.map { Decimal($0) }, stage?.rate, responsible?.rate, partner?.rate, kind?.rate]
                .compactMap { $0 }.filter { $0 > 0 }
            guard !components.isEmpty else { return 0 }
            var mean = components.reduce(0, +) / Decimal(components.count)
            var rounded = Decimal()
            NSDecimalRound(&rounded, &mean, 1, .plain)
            return rounded
        }
    }
}
