/// One line of a sales document in exact integers: quantity in thousandths, money in kopecks.
/// A return is a document whose lines have negative quantities and amounts (DOMAIN.md §5).
public struct SaleLineValues: Equatable, Sendable {
    public var quantityMilli: Int64
    public var priceCents: Int64
    public var amountCents: Int64
    public var costCents: Int64

    public init(quantityMilli: Int64, priceCents: Int64, amountCents: Int64, costCents: Int64) {
        self.quantityMilli = quantityMilli
        self.priceCents = priceCents
        self.amountCents = amountCents
        self.costCents = costCents
    }

    public enum Problem: Error, Equatable, Sendable {
        case quantityZero, priceNegative, amountSign, costSign, tooLarge, noPriceOrAmount

        /// The field the problem is about, by its API name, and the message users see.
        public var field: String {
            switch self {
            case .quantityZero: return "quantity"
            case .priceNegative, .noPriceOrAmount: return "price"
            case .amountSign, .tooLarge: return "amount"
            case .costSign: return "cost"
            }
        }

        public var message: String {
            switch self {
            case .quantityZero: return "must not be zero"
            case .priceNegative: return "must not be negative"
            case .noPriceOrAmount: return "give the price or the amount"
            case .amountSign: return "must have the sign of the quantity (negative on a return)"
            case .costSign: return "must have the sign of the quantity (negative on a return)"
            case .tooLarge: return "is too large"
            }
        }
    }

    /// A line from what a user or a file gives: a missing amount is quantity × price rounded
    /// to the kopeck (half away from zero), a missing price is amount ÷ quantity rounded the
    /// same way, a missing cost is zero.
    public static func make(quantityMilli: Int64, priceCents: Int64?, amountCents: Int64?,
                            costCents: Int64?) -> Result<SaleLineValues, Problem> {
        guard quantityMilli != 0 else { return .failure(.quantityZero) }
        if let priceCents, priceCents < 0 { return .failure(.priceNegative) }
        let amount: Int64
        if let amountCents {
            amount = amountCents
        } else if let priceCents {
            let (product, overflow) = quantityMilli.multipliedReportingOverflow(by: priceCents)
            guard !overflow else { return .failure(.tooLarge) }
            amount = divideRounded(product, by: 1000)
        } else {
            return .failure(.noPriceOrAmount)
        }
        let price: Int64
        if let priceCents {
            price = priceCents
        } else {
            let (scaled, overflow) = amount.multipliedReportingOverflow(by: 1000)
            guard !overflow else { return .failure(.tooLarge) }
            price = divideRounded(scaled, by: quantityMilli)
        }
        let cost = costCents ?? 0
        let negative = quantityMilli < 0
        if amount != 0 && (amount < 0) != negative { return .failure(.amountSign) }
        if cost != 0 && (cost < 0) != negative { return .failure(.costSign) }
        return .success(SaleLineValues(quantityMilli: quantityMilli, priceCents: price, amountCents: amount, costCents: cost))
    }

    public var isReturn: Bool { quantityMilli < 0 }

    /// `a ÷ b` rounded half away from zero.
    public static func divideRounded(_ a: Int64, by b: Int64) -> Int64 {
        let quotient = a / b, remainder = a % b
        guard remainder != 0 else { return quotient }
        let twice = remainder.magnitude * 2
        guard twice >= b.magnitude else { return quotient }
        return (a < 0) != (b < 0) ? quotient - 1 : quotient + 1
    }
}

/// What a document's lines add up to.
public struct SaleTotals: Equatable, Sendable {
    public var revenueCents: Int64 = 0
    public var costCents: Int64 = 0
    public var grossProfitCents: Int64 { revenueCents.subtractingSaturated(costCents) }

    public init(revenueCents: Int64 = 0, costCents: Int64 = 0) {
        self.revenueCents = revenueCents
        self.costCents = costCents
    }

    public init(_ lines: [SaleLineValues]) {
        for line in lines {
            revenueCents +| line.amountCents
            costCents +| line.costCents
        }
    }
}
