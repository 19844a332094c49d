import Foundation
import Testing
@testable import SdelkaCore

/// Worked examples for DOMAIN.md §6, every number checked by hand.
@Suite struct ClassificationTests {
    func abc(_ values: [(String, Int64)]) -> String {
        let classes = ABCXYZ.abc(values.map(\.1), ranks: ABCXYZ.codeRanks(values.map(\.0)))
        return zip(values, classes).map { "\($0.0)=\($1.rawValue)" }.joined(separator: " ")
    }

    @Test func theDomainExample() {
        // c = 50, 80, 90, 95, 100; S = 415, t = 69.17: 1 A; 2 exceeds → B, t = 365/4 = 91.25;
        // 3 B; 4 exceeds while B → stop. The tie of 5 and 5 goes by code.
        #expect(abc([("p1", 50), ("p2", 30), ("p3", 10), ("p5", 5), ("p4", 5)]) == "p1=A p2=B p3=B p5=C p4=C")
    }

    @Test func tiesSortByCode() {
        // Sorted a, b, c: c = 33.33, 66.67, 100; S = 200, t = 50: a A; b exceeds → B
        // (t = 166.67/2); c is last → C.
        #expect(abc([("c", 10), ("a", 10), ("b", 10)]) == "c=C a=A b=B")
    }

    @Test func aSingleClientAndAllZeroes() {
        // The last item is never visited: alone, it is C.
        #expect(abc([("only", 1_000)]) == "only=C")
        // T = 0: every c is 0 and never exceeds t = 0; all A but the last.
        #expect(abc([("a", 0), ("b", 0), ("c", 0)]) == "a=A b=A c=C")
        #expect(ABCXYZ.abc([], ranks: []).isEmpty)
    }

    @Test func negativeTotalsFromReturns() {
        // T = 120: c = 83.33, 125, 100; S = 308.33, t = 77.08. The first exceeds → B and
        // t = 308.33/3 = 102.78; the second exceeds while B → stop.
        #expect(abc([("big", 100), ("mid", 50), ("returned", -30)]) == "big=B mid=C returned=C")
        // Only returns, T = −40: sorted −10, −30, c = 25, 100; t = 125/3: the first A.
        #expect(abc([("x", -30), ("y", -10)]) == "x=C y=A")
    }

    func moments(_ xs: [Int64]) -> ABCXYZ.Moments {
        var m = ABCXYZ.Moments()
        for x in xs where x != 0 { m.add(x) }  // empty sub-periods are never read, yet count in k
        return m
    }

    @Test func coefficientOfVariationCountsEmptySubPeriods() {
        #expect(ABCXYZ.coefficientOfVariation(moments([10, 10, 10, 10]), subPeriods: 4) == 0)
        // mean 5, σ 5.
        #expect(ABCXYZ.coefficientOfVariation(moments([10, 0, 10, 0]), subPeriods: 4) == 100)
        // mean 10, σ = √((900 + 3·100)/4) = 17.3205.
        #expect(abs(ABCXYZ.coefficientOfVariation(moments([40, 0, 0, 0]), subPeriods: 4) - 173.2050808) < 1e-6)
        #expect(ABCXYZ.coefficientOfVariation(moments([5, 15, 5, 15]), subPeriods: 4) == 50)
        #expect(ABCXYZ.coefficientOfVariation(moments([0, 0, 0, 0]), subPeriods: 4) == 0)
        // √1800·100/30 and √50·100/5 are both 100·√2: equal to the last digit kept.
        #expect(ABCXYZ.coefficientOfVariation(moments([30, 0, 0]), subPeriods: 3) == ABCXYZ.coefficientOfVariation(moments([0, 0, 5]), subPeriods: 3))
        #expect(ABCXYZ.coefficientOfVariation(moments([30, 0, 0]), subPeriods: 3) == 141.421356)
        // A return in one sub-period: mean 2.5; deviations 17.5, −12.5, −2.5, −2.5 → σ² = 475/4,
        // σ = 10.8972, CV = 435.89.
        #expect(abs(ABCXYZ.coefficientOfVariation(moments([20, -10, 0, 0]), subPeriods: 4) - 435.889894) < 1e-6)
    }

    @Test func xyzWalksTheCVsDescending() {
        // CVs 173.21, 100, 50, 0 → c = 53.59, 84.53, 100, 100; S = 338.12, t = 67.62:
        // p3 Z; p2 exceeds → Y, t = 284.53/3 = 94.84; p4 exceeds while Y → stop: p4, p1 X.
        let series: [(String, [Int64])] = [("p1", [10, 10, 10, 10]), ("p2", [10, 0, 10, 0]), ("p3", [40, 0, 0, 0]), ("p4", [5, 15, 5, 15])]
        let classes = ABCXYZ.xyz(series.map { ABCXYZ.coefficientOfVariation(moments($0.1), subPeriods: 4) },
                                 ranks: ABCXYZ.codeRanks(series.map(\.0)))
        #expect(classes == [.X, .Y, .Z, .X])
        #expect(ABCXYZ.xyz([80.0], ranks: [0]) == [.X])
        #expect(ABCXYZ.codeRanks(["b", "a", "c"]) == [1, 0, 2])
    }

    @Test func bcgQuadrantsOfEveryCell() {
        var quadrants: [String: [String]] = [:]
        for x in BCGMatrix.xyzAxis {
            for a in BCGMatrix.abcAxis {
                let q = BCGMatrix.quadrant(abc: a == "none" ? nil : a, xyz: x == "none" ? nil : x)
                quadrants[q.rawValue, default: []].append(BCGMatrix.cell(abc: a == "none" ? nil : a, xyz: x == "none" ? nil : x))
            }
        }
        #expect(quadrants["stars"] == ["AZ"] && quadrants["cashCows"] == ["AX"] && quadrants["dogs"] == ["CX"])
        #expect(quadrants["questionMarks"]?.count == 22)
        #expect(BCGMatrix.allCells.count == 25 && BCGMatrix.allCells.contains("unclassified/none"))
    }

    @Test func funnelConversions() {
        #expect(Funnel.conversions(reached: [4, 3, 2, 1]) == [dec("0.75"), dec("0.6667"), dec("0.5"), nil])
        #expect(Funnel.conversions(reached: [0, 0]) == [nil, nil])
    }

    func dec(_ text: String) -> Decimal { Decimal(string: text)! }

    @Test func relationshipStages() {
        #expect(RelationshipStage(latestXYZ: nil) == .potential)
        #expect(RelationshipStage(latestXYZ: .Z) == .oneOff)
        #expect(RelationshipStage(latestXYZ: .unclassified) == .lost)
        #expect(RelationshipStage(latestXYZ: .X) == .regular && RelationshipStage(latestXYZ: .Y) == .regular)
    }

    func window(_ unit: PeriodUnit, _ count: Int, _ date: String = "2026-11-28") -> String {
        let w = ClassificationWindow(date: CalendarDate(date)!, unit: unit, count: count)
        return "\(w.start) … \(w.end)"
    }

    @Test func windowsOfEveryUnit() {
        // 2026-11-28 is a Saturday.
        #expect(CalendarDate("2026-11-28")!.isoWeekday == 6)
        #expect(window(.day, 7) == "2026-11-21 … 2026-11-27")
        #expect(window(.week, 4) == "2026-10-26 … 2026-11-22")
        #expect(window(.decade, 3) == "2026-10-21 … 2026-11-20")
        #expect(window(.month, 12) == "2025-11-01 … 2026-10-31")
        #expect(window(.quarter, 4) == "2025-10-01 … 2026-09-30")
        #expect(window(.halfYear, 2) == "2025-07-01 … 2026-06-30")
        #expect(window(.year, 1) == "2025-01-01 … 2025-12-31")
        // The last decade of a leap February is 21–29.
        #expect(window(.decade, 1, "2024-03-05") == "2024-02-21 … 2024-02-29")
        #expect(window(.week, 1, "2026-01-01") == "2025-12-22 … 2025-12-28")
    }

    @Test func subPeriodsTileTheWindow() {
        let quarter = ClassificationWindow(date: CalendarDate("2026-11-28")!, unit: .quarter, count: 1)
        #expect(quarter.subPeriods(of: .month).map(\.description) == ["2026-07-01", "2026-08-01", "2026-09-01"])
        let half = ClassificationWindow(date: CalendarDate("2026-11-28")!, unit: .halfYear, count: 1)
        let decades = half.subPeriods(of: .decade)
        #expect(decades.count == 18 && decades.first?.description == "2026-01-01" && decades.last?.description == "2026-06-21")
        #expect(ClassificationWindow(date: CalendarDate("2026-11-28")!, unit: .week, count: 2).subPeriods(of: .day).count == 14)
    }

    @Test func dayNumbers() {
        #expect(CalendarDate("1970-01-01")!.dayNumber == 0)
        #expect(CalendarDate("2000-03-01")!.dayNumber == 11_017)
        #expect(CalendarDate(dayNumber: 11_016)?.description == "2000-02-29")
        #expect(CalendarDate("2026-12-31")!.adding(days: 1).description == "2027-01-01")
        #expect(CalendarDate.fromISOBytes("2024-02-29") == CalendarDate("2024-02-29"))
        #expect(CalendarDate.fromISOBytes("2023-02-29") == nil && CalendarDate.fromISOBytes("2024-2-29") == nil && CalendarDate.fromISOBytes("2024-02-2x") == nil)
    }
}
