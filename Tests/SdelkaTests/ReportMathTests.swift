import Foundation
import SdelkaCore
import Testing

/// The arithmetic of deal analysis and the forecast, on numbers small enough to check by eye.
@Suite struct ReportMathTests {
    @Test func forecastWeightsEachDealAndRoundsTheSumToKopecks() {
        var totals = ForecastTotals()
        // 0.01 × 50 % = 0.005 → 0.01 (half away from zero); 333.33 × 33.3 % = 110.99889 → 111.00 together.
        totals.add(potentialCents: 1, probability: 50)
        #expect(totals.weightedCents == 1)
        totals.add(potentialCents: 33_333, probability: Decimal(string: "33.3")!)
        #expect(totals.weightedCents == 11_100) // 0.005 + 110.99889 = 111.00389
        totals.add(potentialCents: nil, probability: 20)
        #expect(totals.count == 3 && totals.potentialCents == 33_334)
        #expect(totals.meanProbability == Decimal(string: "34.4")) // (50 + 33.3 + 20) / 3 = 34.43
        #expect(ForecastTotals().meanProbability == nil)
    }

    @Test func dealFiguresWinRateAndCycle() {
        var f = DealFigures()
        f.won = 2; f.lost = 1; f.cycleDays = 10; f.cycles = 3
        #expect(f.winRate == Decimal(string: "66.67") && f.meanCycleDays == Decimal(string: "3.3"))
        #expect(DealFigures().winRate == nil && DealFigures().meanCycleDays == nil)
    }

    @Test func groupByIsParsedStrictly() {
        #expect(DealDimension.parse("responsible, kind") == .success([.responsible, .kind]))
        #expect(DealDimension.parse("") == .failure(.empty))
        #expect(DealDimension.parse("kind,kind") == .failure(.repeated("kind")))
        #expect(DealDimension.parse("kind,colour") == .failure(.unknown("colour")))
        #expect(DealDimension.parse("kind,status,month,partner") == .failure(.tooMany))
    }

    @Test func campaignCostPerClientAndROI() {
        var f = CampaignFigures()
        f.costCents = 100_000; f.wonClients = 3; f.grossProfitCents = 150_000
        #expect(f.costPerWonClientCents == 33_333 && f.roi == 50) // 1000 / 3 = 333.33; (1500 − 1000) / 1000
        f.costCents = 200_000
        #expect(f.costPerWonClientCents == 66_667 && f.roi == -25) // 666.666… → 666.67
        f.costCents = 0; f.wonClients = 0
        #expect(f.costPerWonClientCents == nil && f.roi == nil)
    }
}
