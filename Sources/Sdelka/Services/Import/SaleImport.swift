import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `sales` CSV import, for the accounting system's exports:
/// `doc_number,date,partner_code,counterparty_code,product_sku,quantity,price,amount,cost`,
/// one row per line; consecutive rows with the same `doc_number` form one document, and
/// negative quantities make a return. A document already stored under the number is replaced
/// (its lines and its share of the totals), never duplicated.
///
/// Built for millions of lines: partners, counterparties and products are read once into
/// memory (their number does not grow with the file), numbers are parsed from bytes, and each
/// batch becomes four statements — documents, lines, daily totals, audit — that the database
/// runs while the next batch is parsed.
final class SaleImport: BatchedCSVImport, @unchecked Sendable {
    static let columns = ["doc_number", "date", "partner_code", "counterparty_code", "product_sku", "quantity", "price", "amount", "cost"]

    override var recordsPerBatch: Int { 10000 }

    private struct CounterpartyRef { var id: UUID; var partner: UUID }
    private struct ProductRef { var id: UUID; var priceCents: Int64? }

    private var partners = PartnerRefs()
    private var counterparties: [String: CounterpartyRef] = [:]
    /// The partner's counterparty when it has exactly one: a file may leave the column empty then.
    private var onlyCounterparty: [UUID: UUID?] = [:]
    private var products: [String: ProductRef] = [:]
    private var dates: [String: Bool] = [:]
    /// Whether any document was stored before: if not, nothing can be replaced and no batch
    /// needs to look.
    private var storedBefore = true

    private struct Document {
        var line: Int
        var number: String
        var date: String
        var partner: UUID
        var counterparty: UUID?
        var lines: [(UUID, SaleLineValues)] = []
        var failed = false

        /// The partner of a document until its first row names one: not `UUID()`, whose Linux
        /// implementation opens /dev/urandom for every document.
        static let unresolved = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    }

    private var ids = TimeOrderedID.Source()
    private var current: Document?
    private var closed: [Document] = []

    override var analyzedTables: [String] { ["sales", "sale_lines", "partner_sales_daily"] }

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool) {
        super.init(db: db, author: author, scope: scope, partial: partial, columns: Self.columns,
                   required: ["doc_number", "date", "partner_code", "product_sku", "quantity"])
    }

    override func prepare() async throws {
        let sql = db.sql
        // Streamed straight into the dictionaries: 130,000 rows held as `SQLRow`s first took
        // ~40 MB more at the start of every sales import.
        partners = try await PartnerRefs.load(includingMarked: false, on: db)
        try await StreamRow.each(sql, "SELECT id, code, partner_id FROM counterparties WHERE NOT deletion_mark") { row in
            guard let id = row.uuid("id"), let partner = row.uuid("partner_id") else { return }
            if let code = row.string("code") { self.counterparties[code] = CounterpartyRef(id: id, partner: partner) }
            self.onlyCounterparty[partner] = self.onlyCounterparty[partner] == nil ? .some(id) : .some(nil)
        }
        try await StreamRow.each(sql, "SELECT id, sku, price_cents FROM products WHERE NOT deletion_mark") { row in
            guard let sku = row.string("sku"), let id = row.uuid("id") else { return }
            self.products[sku] = ProductRef(id: id, priceCents: row.int64("price_cents"))
        }
        storedBefore = try await !DeferredIndexes.isEmpty(Sale.schema, on: sql)
    }

    override var indexesDeferredWhenEmpty: [String] { [Sale.schema] }

    override func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {
        let positions = Self.columns.map { header.index[$0] }
        let repeatedStarts = try await findRepeatedStarts(records, positions)
        for record in records { read(record, positions, repeatedStarts) }
        try await writeClosed()
    }

    /// The lines of this batch that start a document whose number an earlier line of the file
    /// had, with that earlier line. A document starts where the number differs from the
    /// previous line's (lines without a number belong to no document). The numbers are kept by
    /// `SeenKeys`: a set of every number grew with the file, to 50 MB at 800,000 documents
    /// while it was resized.
    private func findRepeatedStarts(_ records: [CSVParser.Record], _ positions: [Int?]) async throws -> [Int: Int] {
        var starts: [(key: SeenKeys.Key, line: Int)] = [], previous = current?.number
        for record in records {
            guard let number = Self.cell(record, positions[0]), number != previous else { continue }
            starts.append((SeenKeys.Key(space: .document, text: number), record.line))
            previous = number
        }
        var repeated: [Int: Int] = [:]
        for (start, first) in zip(starts, try await firstLines(starts)) {
            if let first { repeated[start.line] = first }
        }
        return repeated
    }

    /// A cell's text, trimmed; nil when empty or missing.
    private static func cell(_ record: CSVParser.Record, _ position: Int?) -> String? {
        guard let position, position < record.fields.count else { return nil }
        let text = record.fields[position]
        // Accounting exports rarely pad cells; trim only when there is something to trim.
        if let first = text.utf8.first, let last = text.utf8.last, first > 0x20 && last > 0x20 {
            return first == UInt8(ascii: "'") ? CSVWriter.unprotected(text) : text
        }
        let trimmed = CSVWriter.unprotected(SearchText.trimmed(text))
        return trimmed.isEmpty ? nil : trimmed
    }

    override func afterLastBatch() async throws {
        close()
        try await writeClosed()
        try await settle()
        // The first load: totals are built once from the loaded rows, in order, instead of row
        // by row at random places (its indexes likewise: `indexesDeferredWhenEmpty`).
        if !storedBefore && writing { try await SalesTotals.rebuild(on: db) }
    }

    // MARK: reading

    private func read(_ record: CSVParser.Record, _ positions: [Int?], _ repeatedStarts: [Int: Int]) {
        let line = record.line, before = problemCount
        func value(_ index: Int) -> String? { Self.cell(record, positions[index]) }
        guard let number = value(0) else { report.fail(line, "doc_number", "is required"); return }
        if number != current?.number {
            close()
            if let first = repeatedStarts[line] {
                report.fail(line, "doc_number", "the document's rows must be together: this number appeared earlier in the file (first on line \(first))")
                current = Document(line: line, number: number, date: "", partner: Document.unresolved, failed: true)
                return
            }
            current = start(number, line: line, value)
            if current == nil { return }
        } else if !current!.failed {
            check(value, against: current!, line: line)
        }
        let product: ProductRef?
        if let sku = value(4) {
            product = products[sku]
            if product == nil { report.fail(line, "product_sku", "no product with this SKU") }
        } else {
            product = nil
            report.fail(line, "product_sku", "is required")
        }
        let quantity = amount(value(5), scale: 3, "quantity", line: line, required: true)
        let price = amount(value(6), scale: 2, "price", line: line)
        let sum = amount(value(7), scale: 2, "amount", line: line)
        let cost = amount(value(8), scale: 2, "cost", line: line)
        guard problemCount == before, let product, let quantity else { current?.failed = true; return }
        switch SaleLineValues.make(quantityMilli: quantity, priceCents: price ?? (sum == nil ? product.priceCents : nil),
                                   amountCents: sum, costCents: cost) {
        case .success(let values):
            if let first = current?.lines.first, first.1.isReturn != values.isReturn {
                report.fail(line, "quantity", "a document is all sales or all returns: this line's sign differs from line \(current!.line)'s")
                current?.failed = true
            } else {
                current?.lines.append((product.id, values))
            }
        case .failure(let problem):
            report.fail(line, problem.field, problem.message)
            current?.failed = true
        }
    }

    /// The first row of a document names its date, partner and counterparty.
    private func start(_ number: String, line: Int, _ value: (Int) -> String?) -> Document? {
        var document = Document(line: line, number: number, date: "", partner: Document.unresolved)
        if number.count > 50 { report.fail(line, "doc_number", "must be at most 50 characters"); document.failed = true }
        if let date = value(1) {
            if dates[date] == nil { dates[date] = CalendarDate(accepting: date) != nil }
            if dates[date] == true { document.date = date } else { report.fail(line, "date", CalendarDate.acceptedMessage); document.failed = true }
        } else {
            report.fail(line, "date", "is required")
            document.failed = true
        }
        guard let code = value(2) else {
            report.fail(line, "partner_code", "is required")
            document.failed = true
            return document
        }
        guard let partner = partners[code], scope.allows(partner.group) else {
            report.fail(line, "partner_code", "no partner with this code")
            document.failed = true
            return document
        }
        document.partner = partner.id
        if let code = value(3) {
            if let counterparty = counterparties[code] {
                if counterparty.partner == partner.id { document.counterparty = counterparty.id }
                else { report.fail(line, "counterparty_code", "belongs to another partner"); document.failed = true }
            } else {
                report.fail(line, "counterparty_code", "no counterparty with this code")
                document.failed = true
            }
        } else if let only = onlyCounterparty[partner.id] {
            if let only { document.counterparty = only }
            else { report.fail(line, "counterparty_code", "the partner has several counterparties: name one"); document.failed = true }
        }
        return document
    }

    /// Later rows of a document must agree with its first.
    private func check(_ value: (Int) -> String?, against document: Document, line: Int) {
        if let date = value(1), date != document.date {
            report.fail(line, "date", "differs from the document's first row (line \(document.line))")
            current?.failed = true
        }
        if let code = value(2), partners[code]?.id != document.partner {
            report.fail(line, "partner_code", "differs from the document's first row (line \(document.line))")
            current?.failed = true
        }
        if let code = value(3), counterparties[code]?.id != document.counterparty {
            report.fail(line, "counterparty_code", "differs from the document's first row (line \(document.line))")
            current?.failed = true
        }
    }

    private func amount(_ text: String?, scale: Int, _ column: String, line: Int, required: Bool = false) -> Int64? {
        guard let text else {
            if required { report.fail(line, column, "is required") }
            return nil
        }
        guard let value = FixedPoint.parse(text, scale: scale) else {
            report.fail(line, column, scale == 3 ? "is not a number with at most 3 decimals" : "is not an amount with at most 2 decimals")
            return nil
        }
        guard Money.isWithinLimit(value, decimals: scale) else {
            report.fail(line, column, "is too large: must be less than a trillion")
            return nil
        }
        return value
    }

    private func close() {
        guard let document = current else { return }
        current = nil
        if !document.failed && !document.lines.isEmpty { closed.append(document) }
    }

    // MARK: writing

    private struct Stored {
        var id: UUID
        var lineKey: Int64
        var partner: UUID
        var partnerGroup: UUID?
        var date: String
        var revenue: Int64
        var cost: Int64
        var isReturn: Bool
        var deletionMark: Bool
        var fields: [String: JSONValue]
    }

    private func writeClosed() async throws {
        let documents = closed
        closed = []
        guard writing, !documents.isEmpty else { return }
        let stored = storedBefore ? try await loadStored(documents.map(\.number)) : [:]
        try await reserveKeys(documents.count - stored.count)
        let now = Date(), sql = db.sql
        var sales = JSONRowsInsert(table: Sale.schema, columns: SaleDocumentRows.columns)
        sales.constants = [("version", 1), ("deletion_mark", false), ("created_at", now), ("updated_at", now)]
        sales.conflict = .init(target: ["number"], update: ["date", "partner_id", "counterparty_id", "is_return", "revenue_cents", "cost_cents",
                                                             "line_count", "deletion_mark", "updated_at"])
        var saleRows = SaleDocumentRows(capacity: documents.count), audit = BulkAudit.Rows(), changes = JSONWriter(capacity: 512)
        var lineChunks: [String] = [], lines = SaleLineRows()
        var totals = SalesTotals.Changes(), replaced: [Int64] = []
        for document in documents {
            let totalsOfLines = SaleTotals(document.lines.map(\.1))
            let isReturn = document.lines[0].1.isReturn
            let old = stored[document.number]
            if let old, !scope.allows(old.partnerGroup) {
                report.fail(document.line, "doc_number", "is the number of a document of a partner you cannot see")
                continue
            }
            let id = old?.id ?? ids.make()
            let key: Int64
            if let old {
                key = old.lineKey
                replaced.append(old.lineKey)
                if !old.deletionMark {
                    totals.add(partner: old.partner, day: old.date, revenueCents: old.revenue, costCents: old.cost, isReturn: old.isReturn, sign: -1)
                }
                report.updated += 1
            } else {
                key = nextKey
                nextKey += 1
                report.created += 1
            }
            // A first load builds the totals once at its end (`afterLastBatch`).
            if storedBefore {
                totals.add(partner: document.partner, day: document.date, revenueCents: totalsOfLines.revenueCents,
                           costCents: totalsOfLines.costCents, isReturn: isReturn, sign: 1)
            }
            saleRows.add(id: id, number: document.number, date: document.date, partner: document.partner, counterparty: document.counterparty,
                         isReturn: isReturn, totals: totalsOfLines, lineCount: document.lines.count, lineKey: key)
            for (position, line) in document.lines.enumerated() { lines.add(sale: key, position: position + 1, product: line.0, line.1) }
            if lines.count >= 20000 { lineChunks.append(lines.finish()) }
            if let old {
                let fields = SaleImportAudit.fields(document.number, document.date, document.partner, document.counterparty,
                                                     totalsOfLines.revenueCents, totalsOfLines.costCents, document.lines.count)
                audit.add(.update, Sale.objectType, id, changesJSON: FieldChange.json(FieldChange.diff(old: old.fields, new: fields)))
            } else {
                changes.reset()
                SaleImportAudit.writeCreation(into: &changes, number: document.number, date: document.date, partner: document.partner,
                                              counterparty: document.counterparty, lineCount: document.lines.count, totals: totalsOfLines)
                audit.add(.create, Sale.objectType, id, changes: changes)
            }
        }
        guard writing else { return }
        var statements: [SQLQueryString?] = []
        if !replaced.isEmpty {
            statements.append("DELETE FROM sale_lines WHERE sale_key IN \(SQLBind.group(replaced))")
        }
        if let json = saleRows.finish() { statements.append(sales.statement(json: json, for: sql)) }
        if lines.count > 0 { lineChunks.append(lines.finish()) }
        for chunk in lineChunks { statements.append(SaleLines.insert.statement(json: chunk, for: sql)) }
        statements += SalesTotals.statements(totals, for: sql)
        statements.append(audit.statement(by: author, for: sql))
        try await startWriting(statements)
    }

    /// Line keys of new documents come from a block reserved at once; reserving is a write,
    /// so it waits for the batch being written, and blocks are large to do that rarely.
    private var nextKey: Int64 = 0, endKey: Int64 = 0

    private func reserveKeys(_ needed: Int) async throws {
        guard nextKey + Int64(needed) > endKey else { return }
        try await settle()
        let count = max(needed, 100_000)
        nextKey = Int64(try await Sequences.reserve("sale_line_key", count: count, on: db))
        endKey = nextKey + Int64(count)
    }

    /// The documents already stored under these numbers (after the previous batch is written:
    /// re-importing reads what this import may have just replaced).
    private func loadStored(_ numbers: [String]) async throws -> [String: Stored] {
        try await settle()
        var stored: [String: Stored] = [:]
        for slice in numbers.chunks(of: 5000) {
            // With the partner's access group when the import's scope is restricted: it decides
            // whether the document may be replaced (its partner may be marked for deletion, and
            // then not among `partners`). Read for everyone, it cost 7% of a full re-import.
            let group: SQLQueryString = scope == .all ? "NULL" : "(SELECT p.access_group_id FROM partners p WHERE p.id = s.partner_id)"
            let rows = try await db.sql.raw("""
                SELECT s.id, s.line_key, s.number, s.date, s.partner_id, s.counterparty_id, s.is_return, s.revenue_cents, s.cost_cents,
                       s.line_count, s.deletion_mark, \(group) AS access_group_id
                FROM sales s WHERE s.number IN \(SQLBind.group(Array(slice)))
                """).all()
            for row in rows {
                let number = try row.decode(column: "number", as: String.self)
                let date = try row.decode(column: "date", as: String.self), partner = try row.decode(column: "partner_id", as: UUID.self)
                let revenue = try row.decode(column: "revenue_cents", as: Int64.self), cost = try row.decode(column: "cost_cents", as: Int64.self)
                stored[number] = Stored(
                    id: try row.decode(column: "id", as: UUID.self), lineKey: try row.decode(column: "line_key", as: Int64.self), partner: partner,
                    partnerGroup: try row.decode(column: "access_group_id", as: UUID?.self), date: date, revenue: revenue, cost: cost,
                    isReturn: try row.decode(column: "is_return", as: Bool.self), deletionMark: try row.decode(column: "deletion_mark", as: Bool.self),
                    fields: SaleImportAudit.fields(number, date, partner, try row.decode(column: "counterparty_id", as: UUID?.self), revenue, cost,
                                        try row.decode(column: "line_count", as: Int.self)))
            }
        }
        return stored
    }
}
