import Foundation
import Testing
@testable import SdelkaCore

/// Worked examples for DOMAIN.md §4, checked by hand. Stages A(1) B(2) C(3) D(4); the company
/// is in Moscow (UTC+3), so durations count Moscow calendar days.
@Suite struct StageStatisticsTests {
    let a = StageRef(id: UUID(), order: 1), b = StageRef(id: UUID(), order: 2)
    let c = StageRef(id: UUID(), order: 3), d = StageRef(id: UUID(), order: 4)
    var stages: [StageRef] { [d, b, a, c] }
    let moscow = TimeZone(identifier: "Europe/Moscow")!
    let ivanov = UUID(), petrov = UUID()

    func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    func summary(_ s: StageStatistics) -> [String] {
        let names = [a.id: "A", b.id: "B", c.id: "C", d.id: "D"]
        return s.rows.map { row in
            "\(names[row.stageID]!) \(row.result.rawValue) \(row.durationDays.map(String.init) ?? "-") \(row.potentialCents.map(String.init) ?? "-")"
        }
    }

    @Test func forwardWithSkipsBackwardLoseReopenAndWin() {
        var s = StageStatistics(rows: [], potentialCents: 100_000, responsibleID: ivanov, zone: moscow)
        s.start(at: a, now: at("2026-03-02T07:00:00Z"))
        #expect(summary(s) == ["A open - 100000"])

        // 2 → 5 March: A passed after 3 days, B skipped (zero days, won), C reached.
        let move = s.move(to: c, stages: stages, now: at("2026-03-05T09:00:00Z"))
        #expect(move == .forward(skipped: [b]))
        #expect(summary(s) == ["A won 3 100000", "B won 0 100000", "C open - 100000"])
        #expect(s.rows[1].start == at("2026-03-05T09:00:00Z") && s.rows[1].end == at("2026-03-05T09:00:00Z"))

        // The potential grows while at C: the open row follows it, the closed ones keep theirs.
        s.potentialCents = 150_000
        s.responsibleID = petrov
        s.refreshOpenRow()
        #expect(summary(s) == ["A won 3 100000", "B won 0 100000", "C open - 150000"])
        #expect(s.rows[0].responsibleID == ivanov && s.rows[2].responsibleID == petrov)

        // Back to B on 9 March: C's row is deleted, B is open again from its old start.
        let back = s.move(to: b, stages: stages, now: at("2026-03-09T09:00:00Z"))
        guard case .backward(let removed) = back else { Issue.record("expected a backward move"); return }
        #expect(removed.map(\.stageID) == [c.id])
        #expect(summary(s) == ["A won 3 100000", "B open - 150000"])
        #expect(s.rows[1].start == at("2026-03-05T09:00:00Z") && s.rows[1].end == nil)

        // Forward to D at 23:30 Moscow on 10 March (20:30 UTC): B took 5 days (5 → 10 March).
        s.move(to: d, stages: stages, now: at("2026-03-10T20:30:00Z"))
        #expect(summary(s) == ["A won 3 100000", "B won 5 150000", "C won 0 150000", "D open - 150000"])
        #expect(s.current?.stageID == d.id)

        // Lost at 00:30 Moscow on 12 March, which is still 11 March in UTC: 2 Moscow days at D.
        s.close(with: .lost, now: at("2026-03-11T21:30:00Z"))
        #expect(summary(s) == ["A won 3 100000", "B won 5 150000", "C won 0 150000", "D lost 2 150000"])

        // Reopened, then won on 20 March: D counts from its start, 10 days.
        s.reopen()
        #expect(summary(s).last == "D open - 150000")
        s.close(with: .won, now: at("2026-03-20T09:00:00Z"))
        #expect(summary(s) == ["A won 3 100000", "B won 5 150000", "C won 0 150000", "D won 10 150000"])
    }

    @Test func movingToTheCurrentStageChangesNothingAndClosingTwiceKeepsTheFirstResult() {
        var s = StageStatistics(rows: [], potentialCents: nil, responsibleID: nil, zone: moscow)
        s.start(at: b, now: at("2026-03-02T07:00:00Z"))
        #expect(s.move(to: b, stages: stages, now: at("2026-03-03T07:00:00Z")) == .none)
        s.close(with: .won, now: at("2026-03-04T07:00:00Z"))
        s.close(with: .lost, now: at("2026-03-05T07:00:00Z"))
        #expect(summary(s) == ["B won 2 -"])
    }

    @Test func backwardToAStageNeverReachedReachesIt() {
        var s = StageStatistics(rows: [], potentialCents: 500, responsibleID: nil, zone: moscow)
        s.start(at: c, now: at("2026-03-02T07:00:00Z"))
        s.move(to: a, stages: stages, now: at("2026-03-04T07:00:00Z"))
        #expect(summary(s) == ["A open - 500"])
        #expect(s.rows[0].start == at("2026-03-04T07:00:00Z"))
    }
}

@Suite struct DealProbabilityTests {
    @Test func theMeanOfThePositiveComponents() {
        // 70, stage 2 of 3 won = 66.67, responsible 1 of 2 = 50, partner never closed = 0 (left out),
        // kind 3 of 5 = 60: (70 + 66.667 + 50 + 60) / 4 = 61.667 → 61.7.
        let p = DealProbability.compute(status: .open, managerEstimate: 70, stage: WinTally(won: 2, lost: 1),
                                        responsible: WinTally(won: 1, lost: 1), partner: WinTally(), kind: WinTally(won: 3, lost: 2))
        #expect(p == Decimal(string: "61.7"))
    }

    @Test func eachComponentAbsentOrZeroIsLeftOut() {
        // Only the kind: 1 of 4 = 25.
        #expect(DealProbability.compute(status: .open, managerEstimate: nil, stage: nil, responsible: nil, partner: nil,
                                        kind: WinTally(won: 1, lost: 3)) == 25)
        // An estimate of 0 and a partner who lost every deal (rate 0) are left out: (40 + 80) / 2 = 60.
        #expect(DealProbability.compute(status: .open, managerEstimate: 0, stage: WinTally(won: 4, lost: 1),
                                        responsible: nil, partner: WinTally(won: 0, lost: 3), kind: WinTally(won: 2, lost: 3)) == 60)
        // Only the manager's estimate.
        #expect(DealProbability.compute(status: .open, managerEstimate: 35, stage: nil, responsible: nil, partner: nil, kind: nil) == 35)
        // Nothing known at all.
        #expect(DealProbability.compute(status: .open, managerEstimate: nil, stage: WinTally(), responsible: WinTally(),
                                        partner: WinTally(), kind: WinTally()) == 0)
        // Responsible 1 of 3 = 33.333…, partner 2 of 3 = 66.666…: mean exactly 50.
        #expect(DealProbability.compute(status: .open, managerEstimate: nil, stage: nil, responsible: WinTally(won: 1, lost: 2),
                                        partner: WinTally(won: 2, lost: 1), kind: nil) == 50)
    }

    @Test func closedDealsAreCertain() {
        let tally = WinTally(won: 1, lost: 1)
        #expect(DealProbability.compute(status: .won, managerEstimate: 10, stage: tally, responsible: tally, partner: tally, kind: tally) == 100)
        #expect(DealProbability.compute(status: .lost, managerEstimate: 90, stage: tally, responsible: tally, partner: tally, kind: tally) == 0)
    }
}
