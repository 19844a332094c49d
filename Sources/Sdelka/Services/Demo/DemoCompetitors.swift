import Fluent
import SdelkaCore
import Vapor

/// Demo competitive intelligence: the price sources, a year of weekly prices of five competitors
/// on every demo product (each competitor a little cheaper or dearer than us, drifting), and a
/// strength and a weakness of each.
enum DemoCompetitors {
    static func fill(_ app: Application) async throws {
        let context = ServiceContext(db: app.db, author: .system, scope: .all, config: app.sdelka)
        for name in ["Прайс-лист", "Сайт конкурента", "Слова клиента", "Тендер", "Выезд в магазин"] {
            _ = try await CatalogService<CompetitorPriceSource>(context).create(CatalogInput(name: name))
        }
        let competitors = try await Partner.query(on: app.db).filter(\.$isCompetitor == true).filter(\.$deletionMark == false)
            .sort(\.$code).range(0..<5).all()
        let products = try await Product.query(on: app.db).filter(\.$deletionMark == false).sort(\.$sku).all()
        guard !competitors.isEmpty, !products.isEmpty else { return }
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        let sources = ["Прайс-лист", "Сайт конкурента", "Слова клиента", "Тендер", "Выезд в магазин"]
        var csv = "competitor_code,product_sku,date,price,currency,source,note\n"
        for (c, competitor) in competitors.enumerated() {
            guard let code = competitor.code else { continue }
            for (p, product) in products.enumerated() {
                guard let ours = product.priceCents, (p + c) % 3 != 0 else { continue }
                for week in 0..<52 {
                    // From 12 % cheaper to 12 % dearer than us, moving a little every week.
                    let percent = Int64((c * 6 + p * 5) % 25) - 12 + Int64((week + c) % 5) - 2
                    let cents = ours + ours * percent / 100
                    let date = today.adding(days: -7 * week - c)
                    csv += CSVWriter.line([code, product.sku, date.description, String(format: "%d.%02d", cents / 100, cents % 100), "RUB",
                                           sources[(week + p) % sources.count], ""])
                }
            }
        }
        try await DemoSales.load("competitor-prices", csv, app)
        let notes = CompetitorNoteService(context)
        let strengths = ["Низкие цены на ходовые позиции", "Свой склад в городе", "Гибкая отсрочка платежа", "Широкий ассортимент", "Быстрая доставка"]
        let weaknesses = ["Срывают сроки поставки", "Нет сертификатов на часть товара", "Слабый сервис после продажи", "Мало остатков", "Дорогая доставка"]
        for (index, competitor) in competitors.enumerated() {
            let id = try competitor.requireID()
            _ = try await notes.create(CompetitorNoteInput(competitorId: id, date: today.adding(days: -30 * (index + 1)).description, kind: .strength,
                                                           text: strengths[index % strengths.count]))
            _ = try await notes.create(CompetitorNoteInput(competitorId: id, date: today.adding(days: -20 * (index + 1)).description, kind: .weakness,
                                                           text: weaknesses[index % weaknesses.count]))
        }
    }
}
