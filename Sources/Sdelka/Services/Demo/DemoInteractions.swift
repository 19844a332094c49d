import Fluent
import Foundation
import SdelkaCore
import Vapor

/// Demo interactions: for a third of the demo partners a meeting, a call answering it (same
/// chain), a letter received and a planned follow-up, spread over the last two months, some
/// reviewed and some due for review, each with the partner's manager responsible; and two
/// letters from strangers, received the way real mail is, for «Неизвестные отправители».
enum DemoInteractions {
    static func fill(_ app: Application, partners: [UUID]) async throws {
        let service = InteractionService(db: app.db, author: .system, scope: .all)
        let managers = try await Partner.query(on: app.db).filter(\.$id ~~ partners).all()
            .reduce(into: [UUID: UUID]()) { $0[$1.id!] = $1.mainManagerID }
        let now = Date(), day: TimeInterval = 86_400
        let zone = app.sdelka.timeZone
        for (index, partner) in partners.enumerated() where index % 3 == 0 {
            let responsible = managers[partner] ?? nil
            let ago = TimeInterval(index % 60) * day
            var meeting = InteractionInput(type: .meeting, topic: "Встреча: условия поставки", description: "Обсудили ассортимент и отсрочку платежа",
                                           responsibleId: responsible, participants: [InteractionParticipantDTO(partnerId: partner)])
            meeting.start = now.addingTimeInterval(-ago - 7 * day)
            meeting.end = meeting.start?.addingTimeInterval(3_600)
            meeting.place = "Офис клиента"
            meeting.reviewed = index % 2 == 0
            let first = try await service.create(meeting)
            var call = InteractionInput(type: .call, topic: "Звонок: уточнение заказа", description: "Клиент подтвердил объем",
                                        responsibleId: responsible, participants: [InteractionParticipantDTO(partnerId: partner)])
            call.basisId = try first.requireID()
            call.incoming = index % 4 == 0
            call.durationSeconds = 60 + index * 7 % 400
            if index % 5 == 0 { call.reviewAfter = CalendarDate(now.addingTimeInterval(-day), in: zone).description }
            _ = try await service.create(call)
            var letter = InteractionInput(type: .email, topic: "Запрос прайс-листа", responsibleId: responsible,
                                          participants: [InteractionParticipantDTO(partnerId: partner)])
            letter.status = .received
            letter.incoming = true
            letter.from = "zakupki\(index)@example.ru"
            letter.to = "sales@sdelka.example"
            letter.bodyText = "Добрый день! Пришлите, пожалуйста, актуальный прайс-лист."
            letter.reviewed = index % 3 == 0
            _ = try await service.create(letter)
            var planned = InteractionInput(type: .planned, topic: "Связаться по новому заказу", description: "Предложить новинки сезона",
                                           responsibleId: responsible, participants: [InteractionParticipantDTO(partnerId: partner)])
            planned.plannedAt = now.addingTimeInterval(TimeInterval(index % 20 + 1) * day)
            _ = try await service.create(planned)
        }
        let strangers = [
            ("Ольга Белова", "o.belova@tehnoprom-ural.ru", "Запрос цен на стретч-пленку",
             "Добрый день! Нам нужна стретч-пленка 500 мм, около 2 тонн в месяц. Пришлите, пожалуйста, цены и условия доставки в Екатеринбург."),
            ("Игорь Латыпов", "latypov@agrosnab-kzn.ru", "Сотрудничество",
             "Здравствуйте! Мы оптовый поставщик из Казани, ищем партнеров по упаковке. Можно ли получить каталог?"),
        ]
        let inbound = InboundMail(service: service)
        for (n, stranger) in strangers.enumerated() {
            let mail = OutgoingMail(from: MailAddress(name: stranger.0, address: stranger.1), to: [MailAddress(name: "Отдел продаж", address: "sales@sdelka.example")],
                                    subject: stranger.2, text: stranger.3, messageID: "<demo-\(n)@\(stranger.1.split(separator: "@")[1])>",
                                    date: now.addingTimeInterval(-TimeInterval(n + 1) * day))
            _ = try await inbound.register(Array(mail.rendered(boundary: "demo\(n)").utf8))
        }
    }
}
