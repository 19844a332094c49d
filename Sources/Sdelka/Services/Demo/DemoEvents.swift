import Fluent
import SdelkaCore
import Vapor

/// Demo marketing events with participants and budgets, and partner link kinds with links,
/// so that the event pages, the partner card's source and links show real-looking data.
enum DemoEvents {
    struct Planned {
        var exhibition: UUID
        var seminar: UUID
        var webinar: UUID
    }

    static func plan(_ app: Application, channels: [UUID]) async throws -> Planned {
        let service = MarketingEventService(db: app.db, author: .system, scope: .all)
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        let marketer = try await User.query(on: app.db).filter(\.$role == .marketer).first()?.requireID()
        func event(_ name: String, kind: String, channel: UUID, start: Int, days: Int, budget: Decimal, cost: Decimal?) async throws -> UUID {
            var input = MarketingEventInput()
            input.name = name
            input.kind = kind
            input.channelId = channel
            input.responsibleId = marketer
            input.plannedStart = today.adding(days: start).description
            input.plannedEnd = today.adding(days: start + days).description
            if let cost {
                input.actualStart = input.plannedStart
                input.actualEnd = input.plannedEnd
                input.actualCost = cost
                input.finished = true
            }
            input.budget = budget
            return try await service.create(input).requireID()
        }
        return Planned(
            exhibition: try await event("Продэкспо-\(today.year)", kind: "Выставка", channel: channels[0], start: -120, days: 4,
                                        budget: 1_250_000, cost: Decimal(string: "1184300.50")),
            seminar: try await event("Семинар для дилеров «Новый сезон»", kind: "Семинар", channel: channels[4], start: -45, days: 0,
                                     budget: 180_000, cost: 165_000),
            webinar: try await event("Вебинар «Закупки без ошибок»", kind: "Вебинар", channel: channels[1], start: 20, days: 0,
                                     budget: 40_000, cost: nil))
    }

    static func finish(_ app: Application, events: Planned, partners: [UUID]) async throws {
        let service = MarketingEventService(db: app.db, author: .system, scope: .all)
        for (offset, id) in [events.exhibition, events.seminar, events.webinar].enumerated() {
            guard let event = try await MarketingEvent.find(id, on: app.db) else { continue }
            var input = MarketingEventInput()
            input.participants = partners.enumerated().filter { $0.offset % (5 + offset * 2) == offset }.prefix(24).map { index, partner in
                EventParticipantDTO(partnerId: partner, role: index % 3 == 0 ? "Гость" : "Участник", invited: true,
                                    attended: event.finished && index % 4 != 0)
            }
            try await service.update(event, with: input)
        }
        let kinds = [("Головная компания", "Дочерняя компания"), ("Поставщик", "Покупатель"), ("Совместные закупки", "Совместные закупки")]
        var kindIDs: [UUID] = []
        for (name, reverse) in kinds {
            let kind = PartnerLinkKind()
            CatalogInput(name: name, reverseName: reverse).apply(to: kind)
            try await RecordWriter<PartnerLinkKind>(db: app.db, author: .system) { try CatalogDTO($0) }.create(kind)
            kindIDs.append(try kind.requireID())
        }
        for index in stride(from: 2, to: min(partners.count, 60), by: 6) {
            let link = PartnerLink()
            link.partnerID = partners[index]
            link.linkedPartnerID = partners[index + 1]
            link.kindID = kindIDs[1 + index % 2]
            try await RecordWriter<PartnerLink>(db: app.db, author: .system) { try PartnerLinkDTO($0) }.create(link)
        }
    }
}
