import Fluent
import SdelkaCore
import Vapor

/// Demo mailings: the three usual topics (news and offers one may leave, service notices one
/// may not), a planned offer to the big clients' segment waiting as a draft (its preview shows
/// whom it reaches and who is left out), a birthday greeting that is active, and a thank-you
/// for a won deal that is paused (both drafts when no SMTP server is configured).
enum DemoMailings {
    static func fill(_ app: Application, partners: [UUID]) async throws {
        let admin = try await User.query(on: app.db).filter(\.$login == "admin").first()
        let context = ServiceContext(db: app.db, author: ChangeAuthor(userID: admin?.id, login: "admin"), scope: .all, config: app.sdelka)
        let topics = CatalogService<MailingTopic>(context)
        var ids: [String: UUID] = [:]
        for (name, unsubscribable, comment) in [("Новости", true, "Новости компании и отрасли"), ("Акции", true, "Скидки и специальные предложения"),
                                                ("Сервисные уведомления", false, "Заказы, отгрузки, договоры: от них не отписываются")] {
            var input = CatalogInput(name: name, comment: comment)
            input.unsubscribable = unsubscribable
            ids[name] = try await topics.create(input).requireID()
        }
        let segment = try await Segment.query(on: app.db).filter(\.$deletionMark == false).sort(\.$name).first()
        let mailings = MailingService(context)
        var offer = MailingInput()
        offer.name = "Осенние цены для крупных клиентов"
        offer.topicId = ids["Акции"]
        offer.subject = "{{partner.name}}: осенние цены на упаковку"
        offer.text = "Здравствуйте, {{contact.firstName}}!\n\nС 1 октября действуют новые цены на упаковку. Прайс-лист пришлёт ваш менеджер, "
            + "{{manager.name}} ({{manager.phone}}).\n\nОтписаться от акций: {{unsubscribe.link}}"
        offer.html = "<p>Здравствуйте, {{contact.firstName}}!</p><p>С 1 октября действуют новые цены на упаковку.</p>"
            + "<p>Ваш менеджер: {{manager.name}}, {{manager.phone}}</p><p><a href=\"{{unsubscribe.link}}\">Отписаться от акций</a></p>"
        offer.audience = MailingAudienceDTO(segmentId: segment?.id, whom: .all)
        _ = try await mailings.create(offer)

        var birthday = MailingInput()
        birthday.name = "С днём рождения"
        birthday.topicId = ids["Новости"]
        birthday.mode = .event
        birthday.subject = "С днём рождения, {{contact.firstName}}!"
        birthday.text = "{{contact.firstName}}, поздравляем вас с днём рождения! Спасибо, что работаете с нами.\n\n{{manager.name}}"
        birthday.trigger = MailingTriggerDTO(event: .birthday, delayMinutes: 540)
        birthday.audience = MailingAudienceDTO(whom: .contactPersons)
        let greeting = try await mailings.create(birthday)
        // Rules go live only where letters can leave; without SMTP_URL they wait as drafts.
        let canSend = app.sdelka.smtp != nil
        if canSend { try await mailings.schedule(greeting, expectedVersion: nil, linkBase: app.sdelka.publicURL ?? "http://127.0.0.1:8080") }

        var thanks = MailingInput()
        thanks.name = "Спасибо за сделку"
        thanks.topicId = ids["Сервисные уведомления"]
        thanks.mode = .event
        thanks.subject = "Сделка «{{deal.name}}» оформлена"
        thanks.text = "Спасибо! Сделка «{{deal.name}}» на {{deal.amount}} оформлена. Вопросы — {{manager.name}}, {{manager.phone}}."
        thanks.trigger = MailingTriggerDTO(event: .dealWon, delayMinutes: 60)
        thanks.audience = MailingAudienceDTO(whom: .partner)
        let rule = try await mailings.create(thanks)
        if canSend {
            try await mailings.schedule(rule, expectedVersion: nil, linkBase: app.sdelka.publicURL ?? "http://127.0.0.1:8080")
            try await mailings.pause(rule, expectedVersion: nil)
        }
    }
}
