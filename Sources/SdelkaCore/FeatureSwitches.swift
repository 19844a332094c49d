/// The functional options of DOMAIN.md §8. Every part except partners can be switched off;
/// switching off hides the part and refuses its API but keeps its data.
public struct FeatureSwitches: Codable, Equatable, Sendable {
    public var deals = true
    public var dealStages = true
    public var interactions = true
    public var email = true
    public var sms = true
    public var marketingEvents = true
    public var independentCounterparties = true
    public var businessRegions = true
    public var accessGroups = true
    public var segments = true
    public var abcxyzRevenue = true
    public var abcxyzGrossProfit = true
    public var abcxyzSalesCount = true
    public var surveys = true
    public var mailings = true
    public var competitorIntel = true
    public var assortment = true
    public var claims = true

    public init() {}

    public enum Feature: String, CaseIterable, Sendable {
        case deals, dealStages, interactions, email, sms, marketingEvents
        case independentCounterparties, businessRegions, accessGroups, segments
        case abcxyzRevenue, abcxyzGrossProfit, abcxyzSalesCount
        case surveys, mailings, competitorIntel, assortment, claims
    }

    private static func path(_ feature: Feature) -> WritableKeyPath<FeatureSwitches, Bool> {
        switch feature {
        case .deals: \.deals
        case .dealStages: \.dealStages
        case .interactions: \.interactions
        case .email: \.email
        case .sms: \.sms
        case .marketingEvents: \.marketingEvents
        case .independentCounterparties: \.independentCounterparties
        case .businessRegions: \.businessRegions
        case .accessGroups: \.accessGroups
        case .segments: \.segments
        case .abcxyzRevenue: \.abcxyzRevenue
        case .abcxyzGrossProfit: \.abcxyzGrossProfit
        case .abcxyzSalesCount: \.abcxyzSalesCount
        case .surveys: \.surveys
        case .mailings: \.mailings
        case .competitorIntel: \.competitorIntel
        case .assortment: \.assortment
        case .claims: \.claims
        }
    }

    /// A part that depends on another is off when its parent is: e-mail without interactions
    /// makes no sense, nor do stages without deals.
    public func isEnabled(_ feature: Feature) -> Bool {
        switch feature {
        case .email, .sms: return interactions && self[keyPath: Self.path(feature)]
        case .dealStages: return deals && dealStages
        default: return self[keyPath: Self.path(feature)]
        }
    }

    public subscript(feature: Feature) -> Bool {
        get { self[keyPath: Self.path(feature)] }
        set { self[keyPath: Self.path(feature)] = newValue }
    }
}
