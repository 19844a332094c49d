import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `products` CSV import: `sku,name,group,unit,price`, upserted by `sku`. Groups are named;
/// a group not yet in the catalogue is created (top level), as accounting exports name them.
final class ProductImport: BatchedCSVImport, @unchecked Sendable {
    static let columns = ["sku", "name", "group", "unit", "price"]

    private var groups: [String: UUID] = [:]
    private var newGroups: [(UUID, String)] = []
    private var seen: [String: Int] = [:]

    override var analyzedTables: [String] { ["products", "product_groups"] }

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool) {
        super.init(db: db, author: author, scope: scope, partial: partial, columns: Self.columns, required: ["sku", "name"])
    }

    override func prepare() async throws {
        for group in try await ProductGroup.query(on: db).filter(\.$deletionMark == false).all() {
            groups[SearchText.normalize(group.name)] = try group.requireID()
        }
    }

    private struct Row {
        var id = TimeOrderedID.make()
        var sku: String
        var name: String
        var groupID: UUID?
        var unit: String
        var priceCents: Int64?

        var fields: [String: JSONValue] {
            ["sku": .string(sku), "name": .string(name), "groupId": groupID.map { .string($0.text) } ?? .null, "unit": .string(unit),
             "price": priceCents.map { .number(Money.decimal(cents: $0)) } ?? .null]
        }
    }

    override func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {
        var rows: [Row] = []
        for record in records {
            if let row = parse(record, header: header) { rows.append(row) }
        }
        try await settle()
        guard !rows.isEmpty else { return }
        let existing = try await Product.query(on: db).filter(\.$sku ~~ rows.map(\.sku)).all()
        let bySKU = Dictionary(existing.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        var writes: [(Row, [String: JSONValue]?)] = []
        for var row in rows {
            guard let old = bySKU[row.sku] else { writes.append((row, nil)); continue }
            row.id = try old.requireID()
            // An empty cell keeps what is stored.
            row.groupID = row.groupID ?? old.groupID
            row.priceCents = row.priceCents ?? old.priceCents
            let before = Row(id: row.id, sku: old.sku, name: old.name, groupID: old.groupID, unit: old.unit, priceCents: old.priceCents).fields
            if FieldChange.diff(old: before, new: row.fields).isEmpty && !old.deletionMark { continue }
            writes.append((row, before))
        }
        guard writing, !writes.isEmpty else { return }
        for (_, before) in writes { if before == nil { report.created += 1 } else { report.updated += 1 } }
        let groups = newGroups
        newGroups.removeAll()
        var catalogue = JSONRowsInsert(table: ProductGroup.schema, columns: [("id", .uuid), ("name", .text), ("search_text", .text)])
        let now = Date()
        catalogue.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        var products = JSONRowsInsert(table: Product.schema, columns: [
            ("id", .uuid), ("sku", .text), ("name", .text), ("group_id", .uuid), ("unit", .text), ("price_cents", .int), ("search_text", .text)])
        products.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        // A re-imported product marked for deletion comes back.
        products.conflict = .init(target: ["sku"], update: ["name", "group_id", "unit", "price_cents", "search_text", "deletion_mark", "updated_at"])
        let sql = db.sql
        try await startWriting([
            catalogue.statement(groups.map { [.uuid($0.0), .text($0.1), .text(SearchText.normalize($0.1))] }, for: sql),
            products.statement(writes.map { row, _ in
                [.uuid(row.id), .text(row.sku), .text(row.name), .uuid(row.groupID), .text(row.unit),
                 row.priceCents.map { .int(Int($0)) } ?? .null, .text(SearchText.normalize(row.sku, row.name))]
            }, for: sql),
            BulkAudit.statement(groups.map { BulkAudit.Entry(action: .create, objectType: ProductGroup.objectType, objectID: $0.0,
                                                             changes: FieldChange.diff(old: nil, new: ["name": .string($0.1)])) }
                                + writes.map { row, before in
                BulkAudit.Entry(action: before == nil ? .create : .update, objectType: Product.objectType, objectID: row.id,
                                changes: FieldChange.diff(old: before, new: row.fields))
            }, by: author, for: sql),
        ])
    }

    private func parse(_ record: CSVParser.Record, header: CSVHeader) -> Row? {
        let line = record.line, before = problemCount
        func value(_ column: String) -> String? { header.value(record, column) }
        let sku = value("sku") ?? "", name = value("name") ?? ""
        if sku.isEmpty { report.fail(line, "sku", "is required") }
        else if sku.count > 100 { report.fail(line, "sku", "must be at most 100 characters") }
        else if let first = seen[sku] { report.fail(line, "sku", "the same SKU is on line \(first)") }
        else { seen[sku] = line }
        if name.isEmpty { report.fail(line, "name", "is required") }
        let unit = value("unit") ?? "шт"
        if unit.count > 20 { report.fail(line, "unit", "must be at most 20 characters") }
        var price: Int64?
        if let text = value("price") {
            price = FixedPoint.parse(text, scale: 2)
            if let parsed = price {
                if !Money.isWithinLimit(parsed, decimals: 2) { report.fail(line, "price", "is too large: must be less than a trillion") }
                else if parsed < 0 { report.fail(line, "price", "must not be negative") }
            } else { report.fail(line, "price", "is not an amount with at most 2 decimals") }
        }
        var groupID: UUID?
        if let group = value("group") {
            let key = SearchText.normalize(group)
            if let id = groups[key] { groupID = id }
            else if problemCount == before {
                let id = TimeOrderedID.make()
                groups[key] = id
                newGroups.append((id, group))
                groupID = id
            }
        }
        guard problemCount == before else { return nil }
        return Row(sku: sku, name: name, groupID: groupID, unit: unit, priceCents: price)
    }
}
