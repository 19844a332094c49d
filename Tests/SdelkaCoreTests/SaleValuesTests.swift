import Testing
@testable import SdelkaCore

@Suite struct SaleValuesTests {
    @Test func fixedPointReadsTheFormsFilesCarry() {
        #expect(FixedPoint.parse("1234.5", scale: 2) == 123450)
        #expect(FixedPoint.parse("1 234,50", scale: 2) == 123450)
        #expect(FixedPoint.parse("1\u{00A0}234,5", scale: 2) == 123450)
        #expect(FixedPoint.parse("-3", scale: 3) == -3000)
        #expect(FixedPoint.parse("+0.125", scale: 3) == 125)
        #expect(FixedPoint.parse("0.1234", scale: 3) == nil, "a fourth decimal is refused, not rounded")
        for bad in ["", "-", "1.2.3", "1,2.3", "12a", "1 2.3 4", "99999999999999999999"] {
            #expect(FixedPoint.parse(bad, scale: 2) == nil, "\(bad)")
        }
        #expect(FixedPoint.text(123450, scale: 2) == "1234.5")
        #expect(FixedPoint.text(300, scale: 2) == "3")
        #expect(FixedPoint.text(-5, scale: 2) == "-0.05")
        #expect(FixedPoint.text(2500, scale: 3) == "2.5")
    }

    @Test func aLineFillsWhatIsMissingAndKeepsTheSignOfTheQuantity() throws {
        // 2.5 × 100.10 = 250.25 exactly.
        #expect(try SaleLineValues.make(quantityMilli: 2500, priceCents: 10010, amountCents: nil, costCents: 18000).get()
                == SaleLineValues(quantityMilli: 2500, priceCents: 10010, amountCents: 25025, costCents: 18000))
        // 99.99 for 3 is 33.33 each.
        #expect(try SaleLineValues.make(quantityMilli: 3000, priceCents: nil, amountCents: 9999, costCents: nil).get().priceCents == 3333)
        // 0.125 × 0.20 = 0.025 → 0.03 (half away from zero); a return of the same → −0.03.
        #expect(try SaleLineValues.make(quantityMilli: 125, priceCents: 20, amountCents: nil, costCents: nil).get().amountCents == 3)
        #expect(try SaleLineValues.make(quantityMilli: -125, priceCents: 20, amountCents: nil, costCents: nil).get().amountCents == -3)
        // 1/3 of a kopeck rounds down: 0.333 × 0.01 = 0.00333 → 0.
        #expect(try SaleLineValues.make(quantityMilli: 333, priceCents: 1, amountCents: nil, costCents: nil).get().amountCents == 0)
        #expect(SaleLineValues.make(quantityMilli: 0, priceCents: 1, amountCents: nil, costCents: nil) == .failure(.quantityZero))
        #expect(SaleLineValues.make(quantityMilli: 1000, priceCents: -1, amountCents: nil, costCents: nil) == .failure(.priceNegative))
        #expect(SaleLineValues.make(quantityMilli: 1000, priceCents: nil, amountCents: nil, costCents: nil) == .failure(.noPriceOrAmount))
        #expect(SaleLineValues.make(quantityMilli: -1000, priceCents: 100, amountCents: 100, costCents: nil) == .failure(.amountSign))
        #expect(SaleLineValues.make(quantityMilli: 1000, priceCents: 100, amountCents: nil, costCents: -5) == .failure(.costSign))
        #expect(SaleLineValues.make(quantityMilli: Int64.max / 10, priceCents: 1000, amountCents: nil, costCents: nil) == .failure(.tooLarge))
        let totals = SaleTotals([SaleLineValues(quantityMilli: 2500, priceCents: 10010, amountCents: 25025, costCents: 18000),
                                 SaleLineValues(quantityMilli: 3000, priceCents: 3333, amountCents: 9999, costCents: 6050)])
        #expect(totals.revenueCents == 35024 && totals.costCents == 24050 && totals.grossProfitCents == 10974)
    }

    @Test func datesAreCheckedByTheCalendarRules() {
        #expect(CalendarDate("2024-02-29") != nil && CalendarDate("2026-02-29") == nil && CalendarDate("2000-02-29") != nil && CalendarDate("1900-02-29") == nil)
        #expect(CalendarDate("2026-04-31") == nil && CalendarDate("2026-13-01") == nil && CalendarDate("2026-00-10") == nil)
        #expect(CalendarDate("2026-11-29")!.firstOfMonth(addingMonths: -23).description == "2024-12-01")
        #expect(CalendarDate("2026-01-15")!.firstOfMonth(addingMonths: -1).description == "2025-12-01")
    }
}
