import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `sdelka bench-deals --deals 200000 --board 10000`: fills a database that already holds
/// partners (import them first) with generated deals for the deal benchmarks: a manual kind
/// whose board carries `--board` open deals, a sales regulation with checklists, won and lost
/// deals with full stage statistics spread over two years, and twenty managers. Set-based:
/// rows go in as JSON batches, not one by one. For benchmarks only; never on a real database.
struct BenchDealsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "deals", help: "How many deals to generate (default 200000).")
        var deals: Int?
        @Option(name: "board", help: "How many of them are open deals of the manual kind's board (default 10000).")
        var board: Int?
    }

    var help: String { "Generates deals for the deal benchmarks (scripts/bench-deals.sh)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        // The generated managers must not stand in for the first user: the admin comes first.
        try await Bootstrap.ensureAdmin(app)
        let total = signature.deals ?? 200_000, board = min(signature.board ?? 10_000, total)
        let started = Date()
        let generator = try await BenchDeals(db: app.db, zone: app.sdelka.timeZone)
        try await generator.generate(total: total, board: board) { done in
            context.console.print("\(done) deals")
        }
        context.console.print("generated \(total) deals (\(board) open on the board) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

/// The generator behind `bench-deals`; deterministic, so that runs compare.
struct BenchDeals: Sendable {
    let db: any Database
    let zone: TimeZone
    let partners: [UUID]

    init(db: any Database, zone: TimeZone) async throws {
        self.db = db
        self.zone = zone
        struct Row: Decodable { var id: UUID }
        partners = try await db.sql.select().column("id").from(Partner.schema).where("deletion_mark", .equal, SQLBind(false))
            .orderBy("id").limit(50_000).all(decoding: Row.self).map(\.id)
        guard !partners.isEmpty else { throw APIError.conflict("no_partners", "Import partners before generating deals.") }
    }

    func generate(total: Int, board: Int, progress: (Int) -> Void) async throws {
        let kinds = DealKindService(db: db, author: .system)
        var manualInput = DealKindInput(name: "Опт (бенчмарк)", type: "manual")
        manualInput.stages = ["Интерес", "Квалификация", "Предложение", "Переговоры", "Договор"].map { DealStageDTO(name: $0) }
        let manual = try await kinds.dto(try await kinds.create(manualInput))
        var processInput = DealKindInput(name: "Регламент (бенчмарк)", type: "process")
        processInput.stages = ["Заявка", "Расчёт", "КП", "Договор"].map {
            DealStageDTO(name: $0, checklist: [ChecklistActionDTO(text: "Проверить условия: \($0)", required: true, dueDays: 3)])
        }
        let process = try await kinds.dto(try await kinds.create(processInput))
        let managers = try await createManagers(20)
        var random = SeededRandom(seed: 20_261_129)
        let now = Date()
        for start in stride(from: 0, to: total, by: 5_000) {
            var deals: [[JSONRowsInsert.Cell]] = [], rows: [[JSONRowsInsert.Cell]] = [], tasks: [[JSONRowsInsert.Cell]] = []
            for index in start..<min(start + 5_000, total) {
                let onBoard = index < board
                let kind = onBoard || random.next(2) == 0 ? manual : process
                // Closed deals fill the manual kind beyond its board; open ones go to the regulation.
                let status: DealStatus = onBoard ? .open : kind.id == manual.id ? (random.next(2) == 0 ? .won : .lost)
                    : [.won, .lost, .open][random.next(3)]
                let reached = 1 + random.next(kind.stages.count)
                let id = TimeOrderedID.make(at: now.addingTimeInterval(Double(index - total)))
                let potential = Int64(1_000 + random.next(5_000_000)) * 100
                let responsible = managers[random.next(managers.count)]
                var day = now.addingTimeInterval(-Double(60 + random.next(700)) * 86_400)
                let startDate = CalendarDate(day, in: zone).description
                for stage in kind.stages.prefix(reached) {
                    let order = stage.order ?? 0
                    let last = order == reached
                    let days = last && status == .open ? 0 : random.next(20)
                    let end = day.addingTimeInterval(Double(days) * 86_400)
                    let result: StageResult = !last ? .won : status == .open ? .open : status == .won ? .won : .lost
                    rows.append([.uuid(TimeOrderedID.make()), .uuid(id), .uuid(kind.id), .uuid(stage.id!), .int(order),
                                 .timestamp(day), result == .open ? .null : .timestamp(end),
                                 result == .open ? .null : .int(days), .int(Int(potential)), .text(result.rawValue), .uuid(responsible)])
                    if kind.id == process.id, status == .open, last, let action = stage.checklist?.first {
                        tasks.append([.uuid(TimeOrderedID.make()), .uuid(id), .uuid(stage.id!), .uuid(action.id!), .int(order), .int(0),
                                      .text(action.text), .bool(true), .text(CalendarDate(day, in: zone).adding(days: 3).description),
                                      .uuid(responsible), .bool(false)])
                    }
                    if result != .open { day = end }
                }
                let stageID = kind.stages[reached - 1].id!
                let name = "Сделка \(index + 1)"
                deals.append([.uuid(id), .int(1), .bool(false), .int(index + 1), .text(name), .uuid(partners[index % partners.count]),
                              .uuid(kind.id), .text(status.rawValue), .uuid(stageID), .text(startDate),
                              status == .open ? .null : .text(CalendarDate(day, in: zone).description), .bool(status != .open),
                              .uuid(responsible), .int(Int(potential)), .text("RUB"), .int(random.next(10) * 10),
                              .text(SearchText.normalize(name, nil, String(index + 1)))])
            }
            let (dealBatch, rowBatch, taskBatch) = (deals, rows, tasks)
            try await db.writeTransaction { tx in
                try await Self.deals.run(dealBatch, on: tx.sql)
                try await Self.stageRows.run(rowBatch, on: tx.sql)
                try await Self.tasks.run(taskBatch, on: tx.sql)
            }
            progress(min(start + 5_000, total))
        }
        try await db.sql.raw("UPDATE sequences SET value = (SELECT MAX(number) FROM deals) WHERE name = \(bind: "deal")").run()
        try await DealWinTallies.rebuild(on: db)
        try await db.sql.raw("ANALYZE").run()
    }

    private func createManagers(_ count: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        for n in 1...count {
            let user = User()
            user.id = UUID()
            user.login = "bench-manager-\(n)"
            user.loginKey = user.login
            user.name = "Менеджер \(n)"
            user.searchText = SearchText.normalize(user.name, user.login)
            user.role = .manager
            user.language = .ru
            // No password can match this hash: generated managers never sign in.
            user.passwordHash = "!"
            user.active = true
            user.version = 1
            user.deletionMark = false
            try await user.create(on: db)
            ids.append(user.id!)
        }
        return ids
    }

    static let deals = JSONRowsInsert(table: Deal.schema, columns: [
        ("id", .uuid), ("version", .int), ("deletion_mark", .bool), ("number", .int), ("name", .text), ("partner_id", .uuid),
        ("kind_id", .uuid), ("status", .text), ("stage_id", .uuid), ("start_date", .text), ("end_date", .text), ("closed", .bool),
        ("responsible_id", .uuid), ("potential_cents", .int), ("currency", .text), ("manager_probability", .int), ("search_text", .text),
    ])
    static let stageRows = JSONRowsInsert(table: DealStageRow.schema, columns: [
        ("id", .uuid), ("deal_id", .uuid), ("kind_id", .uuid), ("stage_id", .uuid), ("stage_order", .int), ("start_at", .timestamp),
        ("end_at", .timestamp), ("duration_days", .int), ("potential_cents", .int), ("result", .text), ("responsible_id", .uuid),
    ])
    static let tasks = JSONRowsInsert(table: DealTask.schema, columns: [
        ("id", .uuid), ("deal_id", .uuid), ("stage_id", .uuid), ("action_id", .uuid), ("stage_order", .int), ("position", .int),
        ("text", .text), ("required", .bool), ("due_date", .text), ("responsible_id", .uuid), ("done", .bool),
    ])
}

/// A small deterministic generator (SplitMix64), so that generated data is the same every run.
struct SeededRandom: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
