import Fluent
import SdelkaCore
import Vapor

/// Demo partners: a few hundred Russian companies and people with valid INNs, contacts,
/// contact persons and the channel they came from, spread over the demo access groups.
enum DemoPartners {
    static let channels = ["Выставка «Продэкспо»", "Поиск в интернете", "Рекомендация", "Холодный звонок", "Семинар для дилеров"]
    static let roles = ["Лицо, принимающее решения", "Бухгалтер", "Закупщик"]
    static let stems = ["Ромашка", "Северный ветер", "Вектор", "Техносфера", "Снабженец", "Уралторг", "Волжский берег", "Стройдвор",
                        "Городской маркет", "Сибирская продукция", "Донской хлеб", "Балтийский терминал", "Фермерский двор",
                        "Лидер", "Прогресс", "Альянс", "Меридиан", "Каскад", "Эталон", "Горизонт"]
    static let cities = ["Москва", "Санкт-Петербург", "Екатеринбург", "Новосибирск", "Ростов-на-Дону", "Казань"]
    static let firstNames = ["Алексей", "Ольга", "Дмитрий", "Мария", "Сергей", "Анна", "Игорь", "Елена", "Павел", "Наталья"]
    static let lastNames = ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Лебедева", "Козлов", "Новикова", "Морозов", "Волкова"]

    static func fill(_ app: Application, count: Int = 240) async throws {
        let author = ChangeAuthor.system
        var generator = SystemRandomNumberGenerator()
        var channelIDs: [UUID] = []
        for name in channels {
            let channel = Channel()
            CatalogInput(name: name).apply(to: channel)
            try await RecordWriter<Channel>(db: app.db, author: author) { try CatalogDTO($0) }.create(channel)
            channelIDs.append(try channel.requireID())
        }
        var roleIDs: [UUID] = []
        for name in roles {
            let role = ContactRole()
            CatalogInput(name: name).apply(to: role)
            try await RecordWriter<ContactRole>(db: app.db, author: author) { try CatalogDTO($0) }.create(role)
            roleIDs.append(try role.requireID())
        }
        let groups = try await AccessGroup.query(on: app.db).sort(\.$name).all(\.$id)
        let regions = try await BusinessRegion.query(on: app.db).sort(\.$name).all(\.$id)
        let managers = try await User.query(on: app.db).filter(\.$role == .manager).all(\.$id)
        let partners = PartnerService(db: app.db, author: author, scope: .all)
        let counterparties = CounterpartyService(db: app.db, author: author, scope: .all,
                                                 today: CalendarDate(Date(), in: app.sdelka.timeZone))
        let people = ContactPersonService(db: app.db, author: author, scope: .all)
        let events = try await DemoEvents.plan(app, channels: channelIDs)
        var heads: [String: UUID] = [:]
        var created: [UUID] = []
        for index in 1...count {
            let stem = stems[index % stems.count]
            let city = cities[index % cities.count]
            let isPerson = index % 9 == 0
            // Both lists alternate male and female, so a surname takes the gender of its first name.
            let firstIndex = (index / 3) % firstNames.count
            let last = lastNames[((index % 5) * 2 + firstIndex % 2) % lastNames.count], first = firstNames[firstIndex]
            let name = isPerson ? "\(last) \(first)" : "\(stem) \(city)\(index > stems.count ? " \(index)" : "")"
            let phone = String(format: "+7 (9%02d) %03d-%02d-%02d", index % 100, Int.random(in: 100...999, using: &generator),
                               Int.random(in: 10...99, using: &generator), Int.random(in: 10...99, using: &generator))
            // Every fourth company of a name joins the holding headed by the first one.
            let parent = !isPerson && index % 4 == 0 ? heads[stem] : nil
            let partner = try await partners.create(PartnerInput(
                code: String(format: "DEMO-%04d", index), name: name, fullName: nil, parentId: parent, kind: isPerson ? "person" : "company",
                isClient: true, isSupplier: index % 7 == 0, isCompetitor: index % 25 == 0,
                mainManagerId: managers.isEmpty ? nil : managers[index % managers.count],
                businessRegionId: regions.isEmpty ? nil : regions[index % regions.count],
                accessGroupId: groups.isEmpty ? nil : groups[index % groups.count],
                registeredOn: CalendarDate(year: 2023 + index % 3, month: 1 + index % 12, day: 1 + index % 28)?.description,
                contacts: [ContactDTO(type: "phone", kind: "рабочий", value: phone),
                           ContactDTO(type: "email", kind: "рабочий", value: "info\(index)@example.ru")],
                source: SourceDTO(channelId: channelIDs[index % channelIDs.count],
                                  eventId: index % channelIDs.count == 0 ? events.exhibition : index % channelIDs.count == 4 ? events.seminar : nil)))
            created.append(try partner.requireID())
            if !isPerson && heads[stem] == nil { heads[stem] = try partner.requireID() }
            let inn = RegistrationNumbers.legalEntityINN(String(format: "77%07d", 1_000_000 + index * 37))
            _ = try await counterparties.create(CounterpartyInput(
                partnerId: try partner.requireID(), code: String(format: "DEMO-C%04d", index),
                name: isPerson ? "ИП \(name)" : "ООО «\(stem)»", legalForm: isPerson ? "individual" : "legalEntity",
                inn: isPerson ? nil : inn, kpp: isPerson ? nil : "77\(String(format: "%02d", index % 50))01001"))
            if !isPerson {
                _ = try await people.create(ContactPersonInput(
                    partnerId: try partner.requireID(), name: "\(first) \(last)", position: index % 2 == 0 ? "Директор" : "Менеджер по закупкам",
                    roles: [roleIDs[index % roleIDs.count]],
                    contacts: [ContactDTO(type: "email", kind: "рабочий", value: "\(index).contact@example.ru")]))
            }
        }
        try await DemoEvents.finish(app, events: events, partners: created)
        try await DemoDeals.fill(app, partners: created)
        try await DemoSales.fill(app, partners: created)
        // Two classifications a month apart, so that the reports and the BCG moves have data.
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        for date in [today.firstOfMonth(addingMonths: -1), today] {
            _ = try await ClassificationRunner(db: app.db, author: .system).run(date: date)
        }
        try await DemoSegments.fill(app, partners: created)
        try await DemoInteractions.fill(app, partners: created)
        try await DemoClaims.fill(app, partners: created)
        try await DemoSurveys.fill(app, partners: created)
        try await DemoMailings.fill(app, partners: created)
        try await DemoCompetitors.fill(app)
    }
}
