import Fluent
import Foundation
import SdelkaCore
import Vapor

/// Demo segments of each kind: big clients of the last year and A-class clients (dynamic),
/// lapsed clients (periodic), a hand-picked key-account list and a one-partner stop-list.
enum DemoSegments {
    static func fill(_ app: Application, partners: [UUID]) async throws {
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        let service = SegmentService(db: app.db, author: .system, scope: .all, today: today, timeZone: app.sdelka.timeZone)
        var big = SegmentRule()
        big.isClient = true
        big.sales = .init(lastDays: 365, minRevenue: 1_000_000)
        var classA = SegmentRule()
        classA.classes = .init(measure: .revenue, abc: [.A])
        var lapsed = SegmentRule()
        lapsed.isClient = true
        lapsed.noSalesDays = 90
        let drafts: [SegmentInput] = [
            SegmentInput(name: "Крупные клиенты года", kind: .dynamic, rule: big, stopList: false,
                         comment: "Выручка за последние 365 дней не меньше 1 000 000 ₽"),
            SegmentInput(name: "Клиенты класса A", kind: .dynamic, rule: classA, stopList: false, comment: "По последней ABC-классификации"),
            SegmentInput(name: "Уснувшие клиенты", kind: .periodic, rule: lapsed, stopList: false, comment: "Ни одной продажи за 90 дней"),
            SegmentInput(name: "Ключевые клиенты", kind: .manual, rule: nil, stopList: false, comment: "Ведет руководитель отдела продаж"),
            SegmentInput(name: "Стоп-лист: просроченная задолженность", kind: .manual, rule: nil, stopList: true, comment: "Новые отгрузки запрещены"),
        ]
        var created: [Segment] = []
        for draft in drafts { created.append(try await service.create(draft)) }
        try await service.add(Array(partners.prefix(12).enumerated().filter { $0.offset % 3 == 0 }.map(\.element)), to: created[3])
        if let last = partners.last { try await service.add([last], to: created[4]) }
    }
}
