import Foundation

/// What a marketing event or an advertising channel brought (DOMAIN.md §6): new partners,
/// deals and won deals attributed to it, the sales of its partners, what it cost, the cost of
/// each client won and the return on that cost — gross profit less the cost, over the cost.
public struct CampaignFigures: Equatable, Sendable {
    public var newPartners = 0, deals = 0, wonDeals = 0, wonClients = 0
    public var revenueCents: Int64 = 0, grossProfitCents: Int64 = 0, costCents: Int64 = 0

    public init() {}

    /// Cost ÷ clients won, in kopecks rounded half away from zero; nil when none was won.
    public var costPerWonClientCents: Int64? {
        guard wonClients > 0 else { return nil }
        let (q, r) = costCents.quotientAndRemainder(dividingBy: Int64(wonClients))
        return q + (2 * abs(r) >= Int64(wonClients) ? (r < 0 ? -1 : 1) : 0)
    }

    /// `100 · (gross profit − cost) ÷ cost`, one decimal; nil without a cost.
    public var roi: Decimal? {
        guard costCents > 0 else { return nil }
        return Funnel.rounded(Decimal(100) * Decimal(grossProfitCents.subtractingSaturated(costCents)) / Decimal(costCents), scale: 1)
    }
}
