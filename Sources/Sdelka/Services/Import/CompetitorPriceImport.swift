import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `competitor-prices` CSV import: `competitor_code,product_sku,date,price,currency,source,note`,
/// one observation a line. The competitor is a partner flagged as one, by code; the product
/// ours, by SKU; a source not yet in the catalogue is created, as with product groups. A line
/// that repeats an observation already kept (same competitor, product, date and price) is left
/// out, so importing a file again adds nothing.
final class CompetitorPriceImport: BatchedCSVImport, @unchecked Sendable {
    static let columns = ["competitor_code", "product_sku", "date", "price", "currency", "source", "note"]

    private var sources: [String: UUID] = [:]
    private var newSources: [(UUID, String)] = []

    override var analyzedTables: [String] { ["competitor_prices", "competitor_price_pairs"] }

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool) {
        super.init(db: db, author: author, scope: scope, partial: partial, columns: Self.columns,
                   required: ["competitor_code", "product_sku", "date", "price"])
    }

    override func prepare() async throws {
        for source in try await CompetitorPriceSource.query(on: db).filter(\.$deletionMark == false).all() {
            sources[SearchText.normalize(source.name)] = try source.requireID()
        }
    }

    private struct Row {
        var line: Int
        var competitorCode: String
        var sku: String
        var date: String
        var cents: Int64
        var currency: String
        var sourceID: UUID?
        var note: String?
    }

    override func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {
        var parsed: [Row] = []
        for record in records {
            if let row = parse(record, header: header) { parsed.append(row) }
        }
        let competitors = Dictionary(try await Partner.query(on: db).filter(\.$code ~~ Set(parsed.map(\.competitorCode)))
            .filter(\.$isCompetitor == true).filter(\.$deletionMark == false).all().compactMap { p in p.code.map { ($0, try? p.requireID()) } },
                                     uniquingKeysWith: { a, _ in a }).compactMapValues { $0 }
        let products = Dictionary(try await Product.query(on: db).filter(\.$sku ~~ Set(parsed.map(\.sku))).filter(\.$deletionMark == false).all()
            .map { ($0.sku, $0.id) }, uniquingKeysWith: { a, _ in a }).compactMapValues { $0 }
        var rows: [(Row, UUID, UUID)] = []
        for row in parsed {
            let competitor = competitors[row.competitorCode], product = products[row.sku]
            if competitor == nil { report.fail(row.line, "competitor_code", "names no competitor with this code") }
            if product == nil { report.fail(row.line, "product_sku", "names no product with this SKU") }
            if let competitor, let product { rows.append((row, competitor, product)) }
        }
        try await settle()
        guard !rows.isEmpty else { return }
        struct Kept: Decodable, Hashable { var competitor_id: UUID; var product_id: UUID; var date: String; var price_cents: Int64 }
        let kept = Set(try await db.sql.select().columns("competitor_id", "product_id", "date", "price_cents").from(CompetitorPrice.schema)
            .where("product_id", .in, SQLBind.group(Array(Set(rows.map(\.2)))))
            .where("date", .in, SQLBind.group(Array(Set(rows.map(\.0.date)))))
            .where("deletion_mark", .equal, SQLLiteral.boolean(false)).all(decoding: Kept.self))
        let fresh = rows.filter { !kept.contains(Kept(competitor_id: $0.1, product_id: $0.2, date: $0.0.date, price_cents: $0.0.cents)) }
        guard writing, !fresh.isEmpty else { return }
        report.created += fresh.count
        let made = newSources
        newSources.removeAll()
        let now = Date()
        var catalogue = JSONRowsInsert(table: CompetitorPriceSource.schema, columns: [("id", .uuid), ("name", .text), ("search_text", .text)])
        catalogue.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        var prices = JSONRowsInsert(table: CompetitorPrice.schema, columns: [
            ("id", .uuid), ("competitor_id", .uuid), ("product_id", .uuid), ("date", .text), ("price_cents", .int), ("currency", .text),
            ("source_id", .uuid), ("note", .text)])
        prices.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now), ("recorded_by", author.userID)]
        let pairs = JSONRowsInsert(table: CompetitorPricePairs.table, columns: [("product_id", .uuid), ("competitor_id", .uuid)],
                                   conflict: .init(target: ["product_id", "competitor_id"], update: [], bumpVersion: false))
        let ids = fresh.map { _ in TimeOrderedID.make() }
        let sql = db.sql
        try await startWriting([
            catalogue.statement(made.map { [.uuid($0.0), .text($0.1), .text(SearchText.normalize($0.1))] }, for: sql),
            prices.statement(zip(ids, fresh).map { id, item in
                [.uuid(id), .uuid(item.1), .uuid(item.2), .text(item.0.date), .int(Int(item.0.cents)), .text(item.0.currency),
                 .uuid(item.0.sourceID), .text(item.0.note)]
            }, for: sql),
            pairs.statement(Array(Set(fresh.map { "\($0.2.text)|\($0.1.text)" })).sorted().map { key in
                let parts = key.split(separator: "|")
                return [.text(String(parts[0])), .text(String(parts[1]))]
            }, for: sql),
            BulkAudit.statement(made.map { BulkAudit.Entry(action: .create, objectType: CompetitorPriceSource.objectType, objectID: $0.0,
                                                           changes: FieldChange.diff(old: nil, new: ["name": .string($0.1)])) }
                                + zip(ids, fresh).map { id, item in
                BulkAudit.Entry(action: .create, objectType: CompetitorPrice.objectType, objectID: id, changes: FieldChange.diff(old: nil, new: [
                    "competitorId": .string(item.1.text), "productId": .string(item.2.text), "date": .string(item.0.date),
                    "price": .number(Money.decimal(cents: item.0.cents)), "currency": .string(item.0.currency)]))
            }, by: author, for: sql),
        ])
    }

    private func parse(_ record: CSVParser.Record, header: CSVHeader) -> Row? {
        let line = record.line, before = problemCount
        func value(_ column: String) -> String? { header.value(record, column) }
        let code = value("competitor_code") ?? "", sku = value("product_sku") ?? ""
        if code.isEmpty { report.fail(line, "competitor_code", "is required") }
        if sku.isEmpty { report.fail(line, "product_sku", "is required") }
        var date = ""
        if let text = value("date"), let day = CalendarDate(accepting: text) { date = day.description } else { report.fail(line, "date", CalendarDate.acceptedMessage) }
        var cents: Int64 = 0
        if let text = value("price"), let parsed = FixedPoint.parse(text, scale: 2), parsed >= 0, Money.isWithinLimit(parsed, decimals: 2) { cents = parsed }
        else { report.fail(line, "price", "is not an amount of at least 0 with at most 2 decimals") }
        let currency = (value("currency") ?? "RUB").uppercased()
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isLetter }) { report.fail(line, "currency", "must be a three-letter currency code such as RUB") }
        let note = value("note")
        if (note ?? "").count > 2_000 { report.fail(line, "note", "must be at most 2000 characters") }
        var sourceID: UUID?
        if let source = value("source") {
            let key = SearchText.normalize(source)
            if let id = sources[key] { sourceID = id }
            else if problemCount == before, source.count <= 200 {
                let id = TimeOrderedID.make()
                sources[key] = id
                newSources.append((id, source))
                sourceID = id
            }
        }
        guard problemCount == before else { return nil }
        return Row(line: line, competitorCode: code, sku: sku, date: date, cents: cents, currency: currency, sourceID: sourceID, note: note)
    }
}
