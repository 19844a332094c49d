import Foundation
import SQLKit
import Testing
import Vapor
@testable import Sdelka

@Suite struct DealStageTests {
    /// The worked example of DOMAIN.md §4 through the API: A → C skips B, back to B deletes C,
    /// lost without a reason is refused, lost at D with a competitor, reopened, won.
    @Test(arguments: TestDB.all)
    func stageStatisticsFollowTheRules(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "Предложение", "Переговоры", "Договор"])
            #expect(kind.stages.map(\.order) == [1, 2, 3, 4])
            let (a, b, c, d) = (kind.stages[0], kind.stages[1], kind.stages[2], kind.stages[3])
            let client = try await admin.partner("Ромашка")
            let rival = try await admin.partner("Лютик")
            var deal = try await admin.deal("Поставка круп", partner: client, kind: kind, ["potentialAmount": 250000.5])
            #expect(deal.number == 1 && deal.status == .open && deal.stageId == a.id)
            #expect(try await admin.stageRows(deal).map { "\($0.name) \($0.result)" } == ["Интерес open"])

            deal = try await admin.stage(deal, c).decode(DealDTO.self)
            #expect(deal.stageId == c.id && deal.version == 2)
            var rows = try await admin.stageRows(deal)
            #expect(rows.map { "\($0.name) \($0.result) \($0.durationDays.map(String.init) ?? "-")" }
                    == ["Интерес won 0", "Предложение won 0", "Переговоры open -"])
            #expect(rows.map(\.potential) == [Decimal(string: "250000.5"), Decimal(string: "250000.5"), Decimal(string: "250000.5")])

            deal = try await admin.stage(deal, b).decode(DealDTO.self)
            rows = try await admin.stageRows(deal)
            #expect(rows.map { "\($0.name) \($0.result)" } == ["Интерес won", "Предложение open"])
            #expect(rows[1].end == nil)

            deal = try await admin.stage(deal, d).decode(DealDTO.self)
            let noReason = try await admin.post("/api/v1/deals/\(deal.id)/lose")
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.errorFields == ["lossReasonId": "is required: say why the deal was lost"])
            let price = try await admin.lossReason("Цена")
            let lost = try await admin.post("/api/v1/deals/\(deal.id)/lose", ["lossReasonId": price, "competitorId": rival.uuidString])
            #expect(lost.status == .ok, "\(lost.text)")
            deal = try lost.decode(DealDTO.self)
            #expect(deal.status == .lost && deal.closed && deal.probability == 0)
            #expect(deal.participants.map { "\($0.partnerId == rival) \($0.role ?? "") \($0.wonDeal ?? false)" } == ["true competitor true"])
            #expect(try await admin.stageRows(deal).map { "\($0.name) \($0.result)" }
                    == ["Интерес won", "Предложение won", "Переговоры won", "Договор lost"])
            let closedMove = try await admin.stage(deal, a)
            #expect(closedMove.status == .conflict && closedMove.errorCode == "deal_closed")

            deal = try await admin.post("/api/v1/deals/\(deal.id)/reopen").decode(DealDTO.self)
            #expect(deal.status == .open && deal.lossReasonId == nil && deal.participants.map(\.wonDeal) == [false])
            #expect(try await admin.stageRows(deal).last.map { "\($0.name) \($0.result)" } == "Договор open")

            deal = try await admin.post("/api/v1/deals/\(deal.id)/win").decode(DealDTO.self)
            #expect(deal.status == .won && deal.probability == 100 && deal.endDate != nil)
            #expect(try await admin.stageRows(deal).map { "\($0.name) \($0.result)" }
                    == ["Интерес won", "Предложение won", "Переговоры won", "Договор won"])
            let again = try await admin.post("/api/v1/deals/\(deal.id)/win")
            #expect(again.status == .conflict)

            let audit = try await admin.get("/api/v1/audit?objectId=\(deal.id)").json()
            #expect(audit["total"] as? Int == 7, "creation, four moves, loss, reopening and the win are audited: \(audit)")
        }
    }

    @Test(arguments: TestDB.all)
    func probabilityIsTheMeanOfThePositiveComponents(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (_, ivanov) = try await admin.createUser("ivanov", role: "manager")
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "Договор"])
            let first = try await admin.partner("Ромашка"), second = try await admin.partner("Лютик")
            let reason = try await admin.lossReason("Цена")
            // D1 won and D2 lost, both Ivanov's and Ромашка's; D3 (Лютик, nobody's) won at the second stage.
            let d1 = try await admin.deal("D1", partner: first, kind: kind, ["responsibleId": ivanov])
            _ = try await admin.post("/api/v1/deals/\(d1.id)/win")
            let d2 = try await admin.deal("D2", partner: first, kind: kind, ["responsibleId": ivanov])
            _ = try await admin.post("/api/v1/deals/\(d2.id)/lose", ["lossReasonId": reason])
            let d3 = try await admin.deal("D3", partner: second, kind: kind)
            _ = try await admin.stage(d3, kind.stages[1])
            _ = try await admin.post("/api/v1/deals/\(d3.id)/win")

            // D4 at the first stage: estimate 50; stage 2 of 3 (D1, D3 won, D2 lost) = 66.67;
            // Ivanov 1 of 2 = 50; Ромашка 1 of 2 = 50; kind 2 of 3 = 66.67 → 283.33 / 5 = 56.7.
            let d4 = try await admin.deal("D4", partner: first, kind: kind, ["responsibleId": ivanov, "managerProbability": 50])
            #expect(d4.probability == Decimal(string: "56.7"))
            // D5 at the second stage, Лютик's, nobody's, no estimate: stage 1 of 1 = 100,
            // Лютик 1 of 1 = 100, kind 66.67 → 88.9.
            let d5 = try await admin.deal("D5", partner: second, kind: kind)
            let moved = try await admin.stage(d5, kind.stages[1]).decode(DealDTO.self)
            #expect(moved.probability == Decimal(string: "88.9"))
            let listed = try await admin.get("/api/v1/deals?status=open&partnerId=\(first)").decode(PageDTO<DealDTO>.self)
            #expect(listed.items.map(\.probability) == [Decimal(string: "56.7")])
        }
    }
}

@Suite struct DealWinTallyTests {
    struct Tally: Decodable, Hashable { var subject_id: UUID; var dimension: String; var won: Int; var lost: Int }

    static func tallies(_ app: Application) async throws -> Set<Tally> {
        Set(try await app.db.sql.select().columns("subject_id", "dimension", "won", "lost").from("deal_win_tallies")
            .all(decoding: Tally.self).filter { $0.won != 0 || $0.lost != 0 })
    }

    /// The counts kept with every change equal a recomputation from the deals after wins,
    /// losses, reopening, edits of closed deals, deletion marks and a partner merge.
    @Test(arguments: TestDB.all)
    func keptCountsEqualARecomputation(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (_, ivanov) = try await admin.createUser("ivanov", role: "manager")
            let (_, petrov) = try await admin.createUser("petrov", role: "manager")
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес", "Предложение", "Договор"])
            let free = try await admin.dealKind("Разовая", type: "free", stages: [])
            let a = try await admin.partner("Ромашка"), b = try await admin.partner("Ромашка (дубль)")
            let reason = try await admin.lossReason("Цена")
            var deals: [DealDTO] = []
            for (index, partner) in [a, b, a, b, a].enumerated() {
                deals.append(try await admin.deal("D\(index)", partner: partner, kind: index == 4 ? free : kind,
                                                  ["responsibleId": index % 2 == 0 ? ivanov : petrov]))
            }
            _ = try await admin.stage(deals[0], kind.stages[2])
            _ = try await admin.post("/api/v1/deals/\(deals[0].id)/win")
            _ = try await admin.stage(deals[1], kind.stages[1])
            _ = try await admin.post("/api/v1/deals/\(deals[1].id)/lose", ["lossReasonId": reason])
            _ = try await admin.post("/api/v1/deals/\(deals[2].id)/win")
            _ = try await admin.post("/api/v1/deals/\(deals[2].id)/reopen")
            _ = try await admin.stage(deals[2], kind.stages[1])
            _ = try await admin.post("/api/v1/deals/\(deals[2].id)/lose", ["lossReasonId": reason])
            _ = try await admin.post("/api/v1/deals/\(deals[3].id)/win")
            _ = try await admin.post("/api/v1/deals/\(deals[4].id)/win")
            _ = try await admin.patch("/api/v1/deals/\(deals[0].id)", ["responsibleId": petrov])
            _ = try await admin.delete("/api/v1/deals/\(deals[3].id)")
            _ = try await admin.delete("/api/v1/deals/\(deals[1].id)")
            _ = try await admin.post("/api/v1/deals/\(deals[1].id)/restore")
            let kept = try await Self.tallies(app)
            // By hand: kind Опт won D0 (Ромашка, Petrov now), lost D1 (дубль, Petrov) and D2 (Ромашка, Ivanov);
            // D3 is marked; Разовая won D4 (Ромашка, Ivanov).
            #expect(kept.contains(Tally(subject_id: kind.id, dimension: "kind", won: 1, lost: 2)))
            #expect(kept.contains(Tally(subject_id: free.id, dimension: "kind", won: 1, lost: 0)))
            #expect(kept.contains(Tally(subject_id: UUID(uuidString: petrov)!, dimension: "responsible", won: 1, lost: 1)))
            #expect(kept.contains(Tally(subject_id: kind.stages[1].id!, dimension: "stage", won: 1, lost: 2)))
            #expect(kept.contains(Tally(subject_id: kind.stages[2].id!, dimension: "stage", won: 1, lost: 0)))
            try await DealWinTallies.rebuild(on: app.db)
            #expect(try await Self.tallies(app) == kept)

            _ = try await admin.post("/api/v1/partners/\(b)/merge", ["intoId": a.uuidString])
            let merged = try await Self.tallies(app)
            #expect(merged.contains(Tally(subject_id: a, dimension: "partner", won: 2, lost: 2)))
            try await DealWinTallies.rebuild(on: app.db)
            #expect(try await Self.tallies(app) == merged)
        }
    }
}
