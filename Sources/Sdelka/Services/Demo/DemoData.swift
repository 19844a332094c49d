import Fluent
import Vapor

/// `serve --demo`: fills an empty database with a small, realistic company. Each feature adds
/// its own demo records here as it lands.
enum DemoData {
    static let password = "demo-password"

    static let regions = ["Москва и область", "Санкт-Петербург и Северо-Запад", "Урал", "Сибирь", "Юг", "Поволжье"]
    static let groups = [("Розница", "Розничные сети и магазины"), ("Опт", "Оптовые покупатели"),
                         ("Ключевые клиенты", "Крупные клиенты, которых ведёт руководитель")]
    static let people: [(login: String, name: String, role: String, groups: [Int])] = [
        ("head", "Ирина Соколова", "head", []),
        ("petrov", "Алексей Петров", "manager", [0]),
        ("smirnova", "Ольга Смирнова", "manager", [1]),
        ("kuznetsov", "Дмитрий Кузнецов", "manager", [0, 1]),
        ("marketing", "Анна Волкова", "marketer", [0, 1, 2]),
        ("viewer", "Сергей Морозов", "viewer", [0]),
    ]

    /// Fills only a database that has nothing but the bootstrap admin.
    static func fillIfEmpty(_ app: Application) async throws {
        guard try await User.query(on: app.db).count() <= 1,
              try await AccessGroup.query(on: app.db).count() == 0 else { return }
        let author = ChangeAuthor.system
        for name in regions {
            let region = BusinessRegion()
            CatalogInput(name: name).apply(to: region)
            try await RecordWriter<BusinessRegion>(db: app.db, author: author) { try CatalogDTO($0) }.create(region)
        }
        var groupIDs: [UUID] = []
        for (name, comment) in groups {
            let group = AccessGroup()
            CatalogInput(name: name, comment: comment).apply(to: group)
            try await RecordWriter<AccessGroup>(db: app.db, author: author) { try CatalogDTO($0) }.create(group)
            groupIDs.append(try group.requireID())
        }
        let service = UserService(db: app.db, author: author,
                                  hasher: app.password.async(on: app.threadPool, hopTo: app.eventLoopGroup.any()))
        for (index, person) in people.enumerated() {
            _ = try await service.create(UserInput(
                login: person.login, name: person.name, email: "\(person.login)@sdelka.example", phone: "+7 495 100-20-\(30 + index)",
                role: person.role, language: "ru", password: password,
                accessGroupIds: person.groups.map { groupIDs[$0] }))
        }
        try await DemoPartners.fill(app)
        app.logger.notice("Demo data created; demo users \(people.map(\.login).joined(separator: ", ")) have the password '\(password)'")
    }
}
