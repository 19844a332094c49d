import Fluent
import SdelkaCore
import Vapor

/// Demo sales: two years of documents for the demo clients, loaded through the real `sales`
/// import. Clients buy in different patterns, so that every ABC/XYZ class appears: large and
/// regular, large and seasonal, middling and uneven, small and regular, rare, and some that
/// stopped buying a year ago; competitors and a few others buy nothing.
enum DemoSales {
    static let groups: [(String, [(String, String, String)])] = [
        ("Бакалея", [("BK-001", "Крупа гречневая, 25 кг", "2150"), ("BK-002", "Макароны, 5 кг", "640"), ("BK-003", "Масло подсолнечное, 5 л", "720")]),
        ("Консервы", [("KN-001", "Тушёнка говяжья, 325 г", "215"), ("KN-002", "Горошек зелёный, 400 г", "89.5")]),
        ("Чай и кофе", [("CH-001", "Чай чёрный, 100 пак.", "310"), ("CH-002", "Кофе зерновой, 1 кг", "1890")]),
        ("Бытовая химия", [("BH-001", "Средство для посуды, 5 л", "560"), ("BH-002", "Порошок стиральный, 9 кг", "1350")]),
        ("Складское оборудование", [("SO-001", "Стеллаж металлический", "18500"), ("SO-002", "Тележка гидравлическая", "42000")]),
    ]

    enum Pattern: CaseIterable { case bigRegular, bigSeasonal, middling, smallRegular, rare, stopped, none }

    static func fill(_ app: Application, partners: [UUID]) async throws {
        let author = ChangeAuthor.system
        for name in ["ООО «Сделка-Трейд»", "ООО «Сделка-Опт»"] {
            let organization = Organization()
            CatalogInput(name: name).apply(to: organization)
            try await RecordWriter<Organization>(db: app.db, author: author) { try CatalogDTO($0) }.create(organization)
        }
        var products = "sku,name,group,unit,price\n"
        for (group, items) in groups {
            for (sku, name, price) in items { products += CSVWriter.line([sku, name, group, "шт", price]) }
        }
        try await load("products", products, app)

        let clients = try await Partner.query(on: app.db).filter(\.$id ~~ partners).filter(\.$isCompetitor == false).sort(\.$code).all()
        var generator = SystemRandomNumberGenerator()
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        let first = today.firstOfMonth(addingMonths: -24)
        let items = groups.flatMap(\.1)
        var sales = Self.header
        var number = 0
        for (index, client) in clients.enumerated() {
            guard let code = client.code else { continue }
            let pattern = Pattern.allCases[index % Pattern.allCases.count]
            for month in 0..<24 {
                let start = first.firstOfMonth(addingMonths: month)
                guard let lines = Self.lines(pattern, month: month, calendarMonth: start.month, using: &generator) else { continue }
                number += 1
                let day = min(1 + (index * 7 + month * 3) % 27, CalendarDate.days(inMonth: start.month, of: start.year))
                let date = CalendarDate(year: start.year, month: start.month, day: day)!.description
                let isReturn = number % 41 == 0
                for (offset, quantity) in lines.enumerated() {
                    let item = items[(index + offset * 3 + month) % items.count]
                    let price = Money.parse(item.2)!
                    let signed = isReturn ? -quantity : quantity
                    let amount = price * Decimal(signed)
                    let cost = (amount * Decimal(72 + (index + offset) % 15) / 100)
                    sales += "ДЕМО-\(String(format: "%05d", number)),\(date),\(code),,\(item.0),\(signed),\(item.2),\(amount),\(Self.rounded(cost))\n"
                }
            }
        }
        try await load("sales", sales, app)
    }

    static let header = "doc_number,date,partner_code,counterparty_code,product_sku,quantity,price,amount,cost\n"

    /// The quantities of a month's document, or nil for a month without one.
    private static func lines(_ pattern: Pattern, month: Int, calendarMonth: Int, using generator: inout SystemRandomNumberGenerator) -> [Int]? {
        switch pattern {
        case .bigRegular: return [Int.random(in: 40...48, using: &generator), Int.random(in: 18...22, using: &generator), 10]
        case .bigSeasonal: return [11, 12].contains(calendarMonth) ? [Int.random(in: 150...200, using: &generator), 60] : nil
        case .middling: return month % 3 == 0 ? [Int.random(in: 5...30, using: &generator), Int.random(in: 1...10, using: &generator)] : nil
        case .smallRegular: return [Int.random(in: 3...4, using: &generator)]
        case .rare: return [5, 17].contains(month) ? [Int.random(in: 1...3, using: &generator)] : nil
        case .stopped: return month < 11 ? [Int.random(in: 8...12, using: &generator), 4] : nil
        case .none: return nil
        }
    }

    private static func rounded(_ value: Decimal) -> Decimal {
        var input = value, output = Decimal()
        NSDecimalRound(&output, &input, 2, .plain)
        return output
    }

    static func load(_ kind: String, _ csv: String, _ app: Application) async throws {
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        _ = try await Importers.run(kind, on: app.db, author: .system, scope: .all, partial: false, today: today) { importer in
            try await importer.feed(Array(csv.utf8))
        }
    }
}
