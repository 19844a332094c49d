import Foundation
import SdelkaCore

/// Sale lines written straight into the JSON rows of `SaleLines.insert`, without a cell per
/// value: the sales import writes millions of them.
struct SaleLineRows {
    private var out = JSONWriter(capacity: 1 << 21)
    private(set) var count = 0

    mutating func add(sale key: Int64, position: Int, product: UUID, _ v: SaleLineValues) {
        out.raw(count == 0 ? "[[" : ",[")
        out.integer(key)
        out.raw(0x2C)
        out.integer(Int64(position))
        out.raw(0x2C)
        out.uuid(product)
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

/// Documents written straight into the JSON rows of the sales import's insert of `sales`
/// (`SaleImport.writeClosed`, columns `SaleDocumentRows.columns`).
struct SaleDocumentRows {
    static let columns: [(name: String, kind: JSONRowsInsert.Kind)] = [
        ("id", .uuid), ("number", .text), ("date", .text), ("partner_id", .uuid), ("counterparty_id", .uuid),
        ("is_return", .bool), ("revenue_cents", .int), ("cost_cents", .int), ("line_count", .int), ("line_key", .int),
    ]

    private var out: JSONWriter
    private(set) var count = 0

    init(capacity documents: Int) { out = JSONWriter(capacity: documents * 240) }

    mutating func add(id: UUID, number: String, date: String, partner: UUID, counterparty: UUID?, isReturn: Bool,
                      totals: SaleTotals, lineCount: Int, lineKey: Int64) {
        out.raw(count == 0 ? "[[" : ",[")
        out.uuid(id)
        out.raw(0x2C)
        out.string(number)
        out.raw(0x2C)
        out.string(date)
        out.raw(0x2C)
        out.uuid(partner)
        out.raw(0x2C)
        if let counterparty { out.uuid(counterparty) } else { out.raw("null") }
        out.raw(isReturn ? ",true" : ",false")
        for value in [totals.revenueCents, totals.costCents, Int64(lineCount), lineKey] {
            out.raw(0x2C)
            out.integer(value)
        }
        out.raw(0x5D)
        count += 1
    }

    /// The rows as one JSON array, nil for none.
    func finish() -> String? {
        guard count > 0 else { return nil }
        var json = out
        json.raw(0x5D)
        return json.text
    }
}

/// What the audit log records of a document the sales import writes.
enum SaleImportAudit {
    /// `FieldChange.json(FieldChange.diff(old: nil, new: fields(…)))` written directly into
    /// `out`, keys in the same order: Decimal arithmetic for every imported document cost more
    /// than its insert.
    static func writeCreation(into out: inout JSONWriter, number: String, date: String, partner: UUID, counterparty: UUID?,
                              lineCount: Int, totals: SaleTotals) {
        out.raw("[{\"field\":\"cost\",\"new\":")
        out.raw(FixedPoint.text(totals.costCents, scale: 2))
        if let counterparty {
            out.raw("},{\"field\":\"counterpartyId\",\"new\":")
            out.uuid(counterparty)
        }
        out.raw("},{\"field\":\"date\",\"new\":")
        out.string(date)
        out.raw("},{\"field\":\"lineCount\",\"new\":")
        out.integer(Int64(lineCount))
        out.raw("},{\"field\":\"number\",\"new\":")
        out.string(number)
        out.raw("},{\"field\":\"partnerId\",\"new\":")
        out.uuid(partner)
        out.raw("},{\"field\":\"revenue\",\"new\":")
        out.raw(FixedPoint.text(totals.revenueCents, scale: 2))
        out.raw("}]")
    }

    /// What the audit log records of an imported document.
    static func fields(_ number: String, _ date: String, _ partner: UUID, _ counterparty: UUID?, _ revenue: Int64, _ cost: Int64,
                       _ lines: Int) -> [String: JSONValue] {
        ["number": .string(number), "date": .string(date), "partnerId": .string(partner.text),
         "counterpartyId": counterparty.map { .string($0.text) } ?? .null,
         "revenue": .number(Money.decimal(cents: revenue)), "cost": .number(Money.decimal(cents: cost)), "lineCount": .number(Decimal(lines))]
    }
}
