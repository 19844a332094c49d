import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// What every CSV import shares (ARCHITECTURE.md): the file is streamed through the parser,
/// the header checked, rows handed to the kind's `process` in batches, and errors collected
/// with line and column. All inside the caller's transaction; an all-or-nothing import with
/// errors throws `ImportRejected` at the end so that the transaction rolls back.
///
/// A batch's writes run while the next batch is parsed (`startWriting`), so that the database
/// and the parser each keep a core busy. Only one batch writes at a time, and every read waits
/// for it (`settle`): the database never sees two statements of the import at once.
class BatchedCSVImport: @unchecked Sendable {
    static let batchSize = 1000
    static let searchSlice = 20000

    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    let partial: Bool
    let columns: [String]
    let required: Set<String>
    private var parser = CSVParser()
    private(set) var header: CSVHeader?
    private var batch: [CSVParser.Record] = []
    private var pendingWrite: Task<Void, any Error>?
    private let seenKeys = SeenKeys()
    var report = ImportReport()

    init(db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool, columns: [String], required: Set<String>) {
        self.db = db
        self.author = author
        self.scope = scope
        self.partial = partial
        self.columns = columns
        self.required = required
    }

    /// Whether rows are being written: not once an all-or-nothing import has found an error.
    var writing: Bool { partial || report.errors.isEmpty }

    /// The count of problems so far, including those past the report's limit.
    var problemCount: Int { report.errors.count + report.droppedErrors }

    /// Feeds the whole file through `feedAll` and finishes. Whatever fails, the last batch's
    /// writes are over before this returns, so that the caller's transaction ends after them.
    func run(_ feedAll: () async throws -> Void) async throws -> ImportReport {
        do {
            try await feedAll()
            return try await finish()
        } catch {
            _ = try? await pendingWrite?.value
            throw error
        }
    }

    func feed(_ bytes: some Sequence<UInt8>) async throws {
        let records: [CSVParser.Record]
        do { records = try parser.feed(bytes) } catch { throw rejected(error) }
        for record in records { try await handle(record) }
    }

    private func finish() async throws -> ImportReport {
        do { if let last = try parser.finish() { try await handle(last) } } catch let error as CSVParser.Failure { throw rejected(error) }
        if header == nil { report.fail(1, "", "the file is empty; the first line must name the columns") }
        try await flush()
        try await settle()
        for indexes in deferredIndexes { try await indexes.create(on: db.sql) }
        if header != nil { try await afterLastBatch() }
        try await seenKeys.drop(on: db.sql)
        if header != nil && touchesSearchDocuments {
            if writing { try await writeSearchDocuments() }
            try await settle()
            try await SearchDocuments.suspend(false, on: db.sql)
            if writing { try await SearchDocuments.mergeAfterImport(documentsWritten: searchDocumentsWritten, on: db.sql) }
        }
        try await analyzeAfterBulkLoad()
        report.sortByLine()
        if !partial && !report.errors.isEmpty {
            throw ImportRejected(report: ImportReport(created: 0, updated: 0, errors: report.errors))
        }
        return report
    }

    // MARK: for the kinds

    /// Records handed to `process` at a time; kinds with light rows take more.
    var recordsPerBatch: Int { Self.batchSize }

    /// Tables whose plain indexes are built at the end when the import finds them empty
    /// (`DeferredIndexes`): only those the import does not search while it loads.
    var indexesDeferredWhenEmpty: [String] { [] }

    private var deferredIndexes: [DeferredIndexes] = []

    /// Tables whose planner statistics a bulk load makes stale.
    var analyzedTables: [String] { [] }

    /// Rows written from which PostgreSQL's statistics are gathered again at once: its
    /// autovacuum would take up to a minute, and until then a table loaded from empty looked
    /// empty to the planner (the first searches after 100,000 imported partners took twice as
    /// long). `ANALYZE` in the transaction counts its own new rows.
    static let analyzeFrom = 1000

    private func analyzeAfterBulkLoad() async throws {
        guard writing, report.created + report.updated >= Self.analyzeFrom, db.sql.dialect.name == "postgresql" else { return }
        let tables = analyzedTables + (touchesSearchDocuments ? [M022CreatePostgresPartnerSearch.table] : [])
        for table in tables { try await db.sql.raw("ANALYZE \(ident: table)").run() }
        bulkLoadedTables = tables
    }

    /// PostgreSQL tables this import loaded in bulk, to vacuum once it has committed
    /// (`Importers.run`).
    private(set) var bulkLoadedTables: [String] = []

    /// Called once the header is read: load what the rows will be resolved against.
    func prepare() async throws {}

    /// Whether the kind writes what partner search documents hold. Their triggers are then
    /// suspended for the import, and the documents of the partners the kind names through
    /// `searchDocumentsChanged` are rewritten: on SQLite in slices of many batches (FTS5
    /// writes its pending terms out at every statement, so large slices make a few large index
    /// segments instead of a small one per batch to be merged), on PostgreSQL all at the end
    /// (`SearchDocuments.rewrite`).
    var touchesSearchDocuments: Bool { false }

    private var searchNew = Set<UUID>(), searchChanged = Set<UUID>()
    private var searchDocumentsWritten = 0

    /// Partners whose search documents must be written: `new` ones have none yet.
    func searchDocumentsChanged(new: some Sequence<UUID>, changed: some Sequence<UUID>) async throws {
        searchNew.formUnion(new)
        searchChanged.formUnion(changed)
        if SearchDocuments.writesInSlices(db.sql), searchNew.count + searchChanged.count >= Self.searchSlice {
            try await writeSearchDocuments()
        }
    }

    private func writeSearchDocuments() async throws {
        guard SearchDocuments.writesInSlices(db.sql) else {
            try await settle()
            try await SearchDocuments.rewrite(partnerIDs: searchNew.union(searchChanged), on: db.sql)
            return
        }
        let replaced = searchChanged.subtracting(searchNew)
        searchDocumentsWritten += searchNew.count + replaced.count
        let statements = SearchDocuments.statements(partnerIDs: Array(searchNew), replacing: false, for: db.sql)
            + SearchDocuments.statements(partnerIDs: Array(replaced), replacing: true, for: db.sql)
        searchNew.removeAll(keepingCapacity: true)
        searchChanged.removeAll(keepingCapacity: true)
        try await startWriting(statements)
    }

    /// One batch of records, in file order.
    func process(_ records: [CSVParser.Record], header: CSVHeader) async throws {}

    /// After the last batch: links that may point forward in the file.
    func afterLastBatch() async throws {}

    /// For each key with its line, the line of the file that had it first, or nil for a key
    /// met for the first time (`SeenKeys`).
    func firstLines(_ keys: [(key: SeenKeys.Key, line: Int)]) async throws -> [Int?] {
        try await seenKeys.firstLines(keys, on: db.sql, settle: settle)
    }

    /// Partners read at once by `readPartnersAtOnce`.
    private var partnerRefs: PartnerRefs?

    /// Reads every partner with a code (marked ones too) at once, when there are no more than
    /// `PartnerRefs.readAtOnce`: for first loads, whose batches then read nothing back.
    func readPartnersAtOnce() async throws {
        partnerRefs = try await PartnerRefs.load(includingMarked: true, limit: PartnerRefs.readAtOnce, on: db)
    }

    /// The partners these codes name, marked ones too: from those read at once, or else read
    /// for this batch once the previous one is written.
    func partners(named codes: some Sequence<String>) async throws -> (String) -> PartnerRef? {
        if let partnerRefs { return { partnerRefs[$0] } }
        try await settle()
        let partners = try await PartnerRef.load(codes: Array(Set(codes)), on: db)
        return { partners[$0] }
    }

    /// Refuses the lines whose key an earlier line had, in `column` with `message(first line)`;
    /// returns the lines refused.
    func refuseRepeats(_ keys: [(key: SeenKeys.Key, line: Int)], column: String,
                       _ message: (Int) -> String) async throws -> Set<Int> {
        var refused = Set<Int>()
        for (key, first) in zip(keys, try await firstLines(keys)) {
            guard let first else { continue }
            report.fail(key.line, column, message(first))
            refused.insert(key.line)
        }
        return refused
    }

    /// The first lines of keys already met, for checks after the last batch.
    func firstLines(of keys: [SeenKeys.Key]) async throws -> [SeenKeys.Key: Int] {
        try await settle()
        return try await seenKeys.lines(of: keys, on: db.sql)
    }

    /// Waits until the previous batch is written: call before reading the database.
    func settle() async throws {
        guard let pending = pendingWrite else { return }
        pendingWrite = nil
        try await pending.value
        FreedMemory.release()
    }

    /// Starts a batch's writes, after the keys it met (`firstLines`), and returns without
    /// waiting for them.
    func startWriting(_ write: @escaping @Sendable () async throws -> Void) async throws {
        try await settle()
        let keys = seenKeys.statements(for: db.sql), sql = db.sql
        pendingWrite = Task {
            for statement in keys { try await sql.raw(statement).run() }
            try await write()
        }
    }

    /// Starts running statements built beforehand, in order: all of a batch's work in Swift
    /// is then done while the database runs the previous batch.
    func startWriting(_ statements: [SQLQueryString?]) async throws {
        let statements = statements.compactMap { $0 }, sql = db.sql
        try await startWriting {
            for statement in statements { try await sql.raw(statement).run() }
        }
    }

    // MARK: private

    private func rejected(_ failure: CSVParser.Failure) -> ImportRejected {
        report.fail(failure.line, "", failure.message)
        return ImportRejected(report: ImportReport(created: 0, updated: 0, errors: report.errors))
    }

    private func handle(_ record: CSVParser.Record) async throws {
        guard header != nil else {
            header = try CSVHeader(record, expected: columns, required: required)
            if touchesSearchDocuments { try await SearchDocuments.suspend(true, on: db.sql) }
            try await prepare()
            for table in indexesDeferredWhenEmpty {
                if let dropped = try await DeferredIndexes.dropIfEmpty(table, on: db.sql) { deferredIndexes.append(dropped) }
            }
            return
        }
        batch.append(record)
        if batch.count >= recordsPerBatch { try await flush() }
    }

    private func flush() async throws {
        guard let header, !batch.isEmpty else { return }
        let records = batch
        // A new buffer of the batch's size, not `removeAll(keepingCapacity:)`: on the buffer
        // `records` still holds, that allocates the old capacity again (see `CSVParser.endRecord`).
        batch = []
        batch.reserveCapacity(recordsPerBatch)
        try await process(records, header: header)
        // The keys of a batch that wrote nothing (an import with errors writes nothing more).
        if seenKeys.hasUnwritten { try await startWriting {} }
    }
}

/// The importers by the `<kind>` of `sdelka import <kind>` and `POST /api/v1/import/<kind>`.
enum Importers {
    static let kinds = ["partners", "counterparties", "contact-persons", "products", "sales", "competitor-prices"]

    /// The columns of each kind's file, in the order exports write them.
    static let columns: [String: [String]] = [
        "partners": PartnerImport.columns, "counterparties": CounterpartyImport.columns, "contact-persons": ContactPersonImport.columns,
        "products": ProductImport.columns, "sales": SaleImport.columns, "competitor-prices": CompetitorPriceImport.columns,
    ]

    static func make(_ kind: String, db: any Database, author: ChangeAuthor, scope: AccessScope, partial: Bool,
                     today: CalendarDate) -> BatchedCSVImport? {
        switch kind {
        case "partners": return PartnerImport(db: db, author: author, scope: scope, partial: partial)
        case "counterparties": return CounterpartyImport(db: db, author: author, scope: scope, partial: partial, today: today)
        case "contact-persons": return ContactPersonImport(db: db, author: author, scope: scope, partial: partial)
        case "products": return ProductImport(db: db, author: author, scope: scope, partial: partial)
        case "sales": return SaleImport(db: db, author: author, scope: scope, partial: partial)
        case "competitor-prices": return CompetitorPriceImport(db: db, author: author, scope: scope, partial: partial)
        default: return nil
        }
    }
}
