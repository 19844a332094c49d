import Foundation
import Testing
import Vapor
@testable import Sdelka

/// The sales funnel from stage statistics (DOMAIN.md §6), with skipped and reopened stages.
@Suite struct FunnelTests {
    @Test(arguments: TestDB.all)
    func funnelCountsSkippedAndReopenedStages(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "КП", "Переговоры", "Договор"])
            let s = kind.stages
            let other = try await admin.dealKind("Розница", type: "manual", stages: ["Звонок"])
            let reason = try await admin.lossReason("Цена")
            let group = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let client = try await admin.partner("Ромашка", group: group), other2 = try await admin.partner("Лютик")
            // d1 skips КП on its way to Переговоры; d2 goes to КП and back (its КП row is deleted,
            // Интерес reopens); d3 is lost at КП; d4 jumps to Договор and is won.
            let d1 = try await admin.deal("d1", partner: client, kind: kind, ["potentialAmount": 100])
            #expect(try await admin.stage(d1, s[2]).status == .ok)
            let d2 = try await admin.deal("d2", partner: client, kind: kind, ["potentialAmount": 200])
            #expect(try await admin.stage(d2, s[1]).status == .ok)
            #expect(try await admin.stage(d2, s[0]).status == .ok)
            let d3 = try await admin.deal("d3", partner: other2, kind: kind, ["potentialAmount": 300])
            #expect(try await admin.stage(d3, s[1]).status == .ok)
            #expect(try await admin.post("/api/v1/deals/\(d3.id)/lose", ["lossReasonId": reason]).status == .ok)
            let d4 = try await admin.deal("d4", partner: other2, kind: kind, ["potentialAmount": 400])
            #expect(try await admin.stage(d4, s[3]).status == .ok)
            #expect(try await admin.post("/api/v1/deals/\(d4.id)/win").status == .ok)
            _ = try await admin.deal("elsewhere", partner: client, kind: other)

            let funnel = try await admin.get("/api/v1/reports/funnel?kindId=\(kind.id)").decode(FunnelReport.self)
            func line(_ st: FunnelReport.Stage) -> String {
                "\(st.order) \(st.name): \(st.reached) won \(st.won) lost \(st.lost) open \(st.open) · \(st.wonAmount)/\(st.lostAmount)/\(st.openAmount) → \(st.conversionToNext.map { "\($0)" } ?? "-")"
            }
            #expect(funnel.stages.map(line) == [
                "1 Интерес: 4 won 3 lost 0 open 1 · 800/0/200 → 0.75",
                "2 КП: 3 won 2 lost 1 open 0 · 500/300/0 → 0.6667",
                "3 Переговоры: 2 won 1 lost 0 open 1 · 400/0/100 → 0.5",
                "4 Договор: 1 won 1 lost 0 open 0 · 400/0/0 → -",
            ])
            #expect(funnel.stages[0].meanDurationDays == 0, "closed the same day")
            #expect(funnel.stages[3].meanDurationDays == 0 && funnel.stages[2].meanDurationDays == 0)

            // A period that ended before any deal began has no rows; one around today has all.
            let past = try await admin.get("/api/v1/reports/funnel?kindId=\(kind.id)&to=2020-01-31").decode(FunnelReport.self)
            #expect(past.stages.map(\.reached) == [0, 0, 0, 0] && past.stages.allSatisfy { $0.conversionToNext == nil })
            let around = try await admin.get("/api/v1/reports/funnel?kindId=\(kind.id)&from=2020-01-01&to=2099-12-31").decode(FunnelReport.self)
            #expect(around.stages.map(\.reached) == [4, 3, 2, 1])

            // A manager of Юг sees d1 and d2 only.
            let (manager, _) = try await admin.createUser("south", role: "manager", groups: [group])
            let theirs = try await manager.get("/api/v1/reports/funnel?kindId=\(kind.id)").decode(FunnelReport.self)
            #expect(theirs.stages.map(\.reached) == [2, 1, 1, 0])

            let csv = try await admin.send(.GET, "/api/v1/reports/funnel?kindId=\(kind.id)", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n")[1] == "1,Интерес,4,3,0,1,800,0,200,0,0.75")
            let bad = try await admin.get("/api/v1/reports/funnel?kindId=nope&from=2026-13-01")
            #expect(bad.status == .unprocessableEntity && bad.text.contains("kindId") && bad.text.contains("from"))
        }
    }
}
