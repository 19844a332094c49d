import Foundation
import Testing
@testable import SdelkaCore

@Suite struct ClaimFiguresTests {
    /// Five claims of one cause: two satisfied (closed after 4 and 10 days), one not satisfied
    /// (after 7 days), two open. Satisfied share 2 of 3 closed = 66.67 %; mean days to close
    /// (4 + 10 + 7) / 3 = 7.0.
    @Test func satisfiedShareAndMeanDaysOfAGroup() {
        var group = ClaimFigures()
        group.add(ClaimFigures(count: 1, satisfied: 1, amountCents: 10_000_00, settledCents: 8_000_00, daysToClose: 4))
        group.add(ClaimFigures(count: 1, satisfied: 1, amountCents: 5_000_00, settledCents: 5_000_00, daysToClose: 10))
        group.add(ClaimFigures(count: 1, notSatisfied: 1, amountCents: 2_500_00, daysToClose: 7))
        group.add(ClaimFigures(count: 2, open: 2, amountCents: 1_000_00))
        #expect(group.count == 5)
        #expect(group.open == 2)
        #expect(group.closed == 3)
        #expect(group.amountCents == 18_500_00)
        #expect(group.settledCents == 13_000_00)
        #expect(group.satisfiedShare == Decimal(string: "66.67"))
        #expect(group.meanDaysToClose == Decimal(7))
    }

    @Test func aGroupWithNothingClosedHasNoShareAndNoMean() {
        let open = ClaimFigures(count: 3, open: 3, amountCents: 100)
        #expect(open.satisfiedShare == nil)
        #expect(open.meanDaysToClose == nil)
    }

    @Test func statusesMoveOnlyForwardOrReopen() {
        #expect(ClaimStatus.registered.mayMove(to: .inProcess))
        #expect(!ClaimStatus.registered.mayMove(to: .satisfied), "a claim is taken up before it is decided")
        #expect(ClaimStatus.inProcess.mayMove(to: .satisfied))
        #expect(!ClaimStatus.inProcess.mayMove(to: .registered))
        #expect(ClaimStatus.satisfied.mayMove(to: .inProcess), "a closed claim is reopened")
        #expect(!ClaimStatus.satisfied.mayMove(to: .notSatisfied), "a closed claim is reopened before it closes otherwise")
        #expect(ClaimStatus.notSatisfied.isClosed && !ClaimStatus.inProcess.isClosed)
    }
}
