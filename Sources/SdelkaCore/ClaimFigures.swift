import Foundation

/// A client's claim moves registered → in process → satisfied or not satisfied; a closed claim
/// may be reopened, which puts it back in process (DOMAIN.md §7).
public enum ClaimStatus: String, Codable, CaseIterable, Sendable {
    case registered, inProcess, satisfied, notSatisfied

    public var isClosed: Bool { self == .satisfied || self == .notSatisfied }

    /// The statuses a claim in this one may move to.
    public var next: [ClaimStatus] {
        switch self {
        case .registered: return [.inProcess]
        case .inProcess: return [.satisfied, .notSatisfied]
        case .satisfied, .notSatisfied: return [.inProcess]
        }
    }

    public func mayMove(to other: ClaimStatus) -> Bool { next.contains(other) }
}

/// The figures of one group of claims: how many, what was claimed and settled, how many were
/// satisfied of those closed, how long closing took, how many are open.
public struct ClaimFigures: Equatable, Sendable {
    public var count = 0, open = 0, satisfied = 0, notSatisfied = 0
    public var amountCents: Int64 = 0, settledCents: Int64 = 0
    /// Days from the claim's date to its closing, summed over the closed claims.
    public var daysToClose: Int64 = 0

    public init(count: Int = 0, open: Int = 0, satisfied: Int = 0, notSatisfied: Int = 0,
                amountCents: Int64 = 0, settledCents: Int64 = 0, daysToClose: Int64 = 0) {
        self.count = count
        self.open = open
        self.satisfied = satisfied
        self.notSatisfied = notSatisfied
        self.amountCents = amountCents
        self.settledCents = settledCents
        self.daysToClose = daysToClose
    }

    public mutating func add(_ other: ClaimFigures) {
        count += other.count; open += other.open; satisfied += other.satisfied; notSatisfied += other.notSatisfied
        amountCents +| other.amountCents; settledCents +| other.settledCents; daysToClose +| other.daysToClose
    }

    public var closed: Int { satisfied + notSatisfied }

    /// `100 · satisfied ÷ closed`, two decimals; nil when none is closed.
    public var satisfiedShare: Decimal? {
        closed == 0 ? nil : Funnel.rounded(Decimal(100 * satisfied) / Decimal(closed), scale: 2)
    }

    /// Mean days from the claim's date to its closing over the closed claims, one decimal.
    public var meanDaysToClose: Decimal? {
        closed == 0 ? nil : Funnel.rounded(Decimal(daysToClose) / Decimal(closed), scale: 1)
    }
}
