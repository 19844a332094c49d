import Foundation
import SdelkaCore

/// Sale lines written straight into the JSON rows of `SaleLines.insert`, without a cell per
/// value: the sales import writes millions of them.
struct SaleLineRows {
    private var out = JSONWriter(capacity: 1 << 21)
    private(set) var count = 0
    private var productTexts: [UUID: String] = [:]

    mutating func add(sale key: Int64, position: Int, product: UUID, _ v: SaleLineValues) {
        out.raw(count == 0 ? "[[" : ",[")
        out.integer(key)
        out.raw(0x2C)
        out.integer(Int64(position))
        out.raw(0x2C)
        if let text = productTexts[product] { out.string(text) } else {
            let text = product.text
            productTexts[product] = text
            out.string(text)
        }
        for value in [v.quantityMilli, v.priceCents, v.amountCents, v.costCents] {
            out.raw(0x2C)
            out.integer(value)
        }
        out.raw(0x5D)
        count += 1
    }

    mutating func finish() -> String {
        out.raw("]")
        let text = out.text
        out = JSONWriter(capacity: 1 << 21)
        count = 0
        return text
    }
}

/// What the audit log records of a document the sales import writes.
enum SaleImportAudit {
    /// `FieldChange.json(FieldChange.diff(old: nil, new: fields(…)))` written directly, keys in
    /// the same order: Decimal arithmetic for every imported document cost more than its insert.
    static func creationJSON(number: String, date: String, partner: UUID, counterparty: UUID?, lineCount: Int, totals: SaleTotals) -> String {
        var out = JSONWriter(capacity: 320)
        out.raw("[{\"field\":\"cost\",\"new\":")
        out.raw(FixedPoint.text(totals.costCents, scale: 2))
        if let counterparty {
            out.raw("},{\"field\":\"counterpartyId\",\"new\":")
            out.string(counterparty.text)
        }
        out.raw("},{\"field\":\"date\",\"new\":")
        out.string(date)
        out.raw("},{\"field\":\"lineCount\",\"new\":")
        out.raw(String(lineCount))
        out.raw("},{\"field\":\"number\",\"new\":")
        out.string(number)
        out.raw("},{\"field\":\"partnerId\",\"new\":")
        out.string(partner.text)
        out.raw("},{\"field\":\"revenue\",\"new\":")
        out.raw(FixedPoint.text(totals.revenueCents, scale: 2))
        out.raw("}]")
        return out.text
    }

    /// What the audit log records of an imported document.
    static func fields(_ number: String, _ date: String, _ partner: UUID, _ counterparty: UUID?, _ revenue: Int64, _ cost: Int64,
                       _ lines: Int) -> [String: JSONValue] {
        ["number": .string(number), "date": .string(date), "partnerId": .string(partner.text),
         "counterpartyId": counterparty.map { .string($0.text) } ?? .null,
         "revenue": .number(Money.decimal(cents: revenue)), "cost": .number(Money.decimal(cents: cost)), "lineCount": .number(Decimal(lines))]
    }
}
