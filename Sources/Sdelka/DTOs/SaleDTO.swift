import SdelkaCore
import Vapor

struct SaleLineDTO: Content, Equatable {
    var productId: UUID
    var quantity: Decimal
    var price: Decimal
    var amount: Decimal
    var cost: Decimal

    init(productId: UUID, _ values: SaleLineValues) {
        self.productId = productId
        quantity = Decimal(values.quantityMilli) / 1000
        price = Money.decimal(cents: values.priceCents)
        amount = Money.decimal(cents: values.amountCents)
        cost = Money.decimal(cents: values.costCents)
    }
}

/// A sales document or return as the API shows it, with `revenue`, `cost` and `grossProfit`.
struct SaleDTO: Content, Equatable {
    var id: UUID
    var number: String
    var date: String
    var partnerId: UUID
    var counterpartyId: UUID?
    var organizationId: UUID?
    var dealId: UUID?
    var agreementId: UUID?
    var contractId: UUID?
    var isReturn: Bool
    var lines: [SaleLineDTO]
    var revenue: Decimal
    var cost: Decimal
    var grossProfit: Decimal
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init(_ s: Sale, lines: [SaleLineDTO]) throws {
        id = try s.requireID()
        number = s.number
        date = s.date
        partnerId = s.partnerID
        counterpartyId = s.counterpartyID
        organizationId = s.organizationID
        dealId = s.dealID
        agreementId = s.agreementID
        contractId = s.contractID
        isReturn = s.isReturn
        self.lines = lines
        revenue = Money.decimal(cents: s.revenueCents)
        cost = Money.decimal(cents: s.costCents)
        grossProfit = Money.decimal(cents: s.revenueCents.subtractingSaturated(s.costCents))
        comment = s.comment
        deletionMark = s.deletionMark
        version = s.version
    }
}

struct SaleLineInput: Content {
    var productId: UUID?
    var quantity: Decimal?
    var price: Decimal?
    var amount: Decimal?
    var cost: Decimal?
}

/// Create and PATCH body. `lines`, when sent, replace all lines; `null` clears the optional
/// references and the comment. Without `number` a new document gets the next free one.
struct SaleInput: Content {
    var number: String?
    var date: String?
    var partnerId: UUID?
    var counterpartyId: UUID?
    var organizationId: UUID?
    var dealId: UUID?
    var agreementId: UUID?
    var contractId: UUID?
    var lines: [SaleLineInput]?
    var comment: String?
    var version: Int?
    static let clearable: Set<String> = ["counterpartyId", "organizationId", "dealId", "agreementId", "contractId", "comment"]

    /// The field rules; the lines come back as values when they are all valid.
    func validate(creating: Bool) -> (FieldErrors, [(UUID, SaleLineValues)]?) {
        var errors = FieldErrors()
        if creating {
            if date == nil { errors.add("date", "is required") }
            if partnerId == nil { errors.add("partnerId", "is required") }
            if lines == nil { errors.add("lines", "is required: a document has at least one line") }
        }
        if let number {
            if number.cleaned == nil { errors.add("number", "must not be empty") }
            else if number.count > 50 { errors.add("number", "must be at most 50 characters") }
        }
        if let date, CalendarDate(accepting: date) == nil { errors.add("date", CalendarDate.acceptedMessage) }
        guard let lines else { return (errors, nil) }
        if lines.isEmpty { errors.add("lines", "must not be empty: a document has at least one line") }
        var values: [(UUID, SaleLineValues)] = []
        for (index, line) in lines.enumerated() {
            let at = "lines.\(index)."
            if line.productId == nil { errors.add(at + "productId", "is required") }
            guard let quantity = line.quantity else { errors.add(at + "quantity", "is required"); continue }
            guard let milli = Money.scaled(quantity, decimals: 3) else { errors.add(at + "quantity", Money.quantityMessage); continue }
            func cents(_ value: Decimal?, _ field: String) -> Int64?? {
                guard let value else { return .some(nil) }
                guard let cents = Money.cents(value) else { errors.add(at + field, Money.amountMessage); return nil }
                return .some(cents)
            }
            guard let price = cents(line.price, "price"), let amount = cents(line.amount, "amount"), let cost = cents(line.cost, "cost") else { continue }
            switch SaleLineValues.make(quantityMilli: milli, priceCents: price, amountCents: amount, costCents: cost) {
            case .success(let value): if let product = line.productId { values.append((product, value)) }
            case .failure(let problem): errors.add(at + problem.field, problem.message)
            }
        }
        if Set(values.map(\.1.isReturn)).count > 1 {
            errors.add("lines", "mix sales and returns: a return has every quantity negative, a sale every quantity positive")
        }
        return (errors, errors.isEmpty ? values : nil)
    }
}

/// A partner's sales of one month, from the kept daily totals.
struct SalesMonthDTO: Content, Equatable {
    var month: String
    var revenue: Decimal
    var cost: Decimal
    var grossProfit: Decimal
    var salesCount: Int
    var returnsCount: Int
}
