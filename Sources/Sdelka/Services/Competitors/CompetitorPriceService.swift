import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// Competitors' prices are the company's reference data (no access group): anyone who writes
/// records may note what a client said or a price list showed; a competitor is a live partner
/// flagged as one, a product one of ours, the date a business date, the price an amount.
struct CompetitorPriceService: RecordService {
    static let noun = "competitor price"

    let context: ServiceContext
    var db: any Database { context.db }

    init(_ context: ServiceContext) { self.context = context }

    struct Filter: Sendable {
        var competitorID: UUID?
        var productID: UUID?
        var sourceID: UUID?
        var from: CalendarDate?
        var to: CalendarDate?
        var includeDeleted = false
    }

    func list(_ f: Filter) -> QueryBuilder<CompetitorPrice> {
        let query = CompetitorPrice.query(on: db)
        if !f.includeDeleted { query.filter(\.$deletionMark == false) }
        if let id = f.competitorID { query.filter(\.$competitorID == id) }
        if let id = f.productID { query.filter(\.$productID == id) }
        if let id = f.sourceID { query.filter(\.$sourceID == id) }
        if let from = f.from { query.filter(\.$date >= from.description) }
        if let to = f.to { query.filter(\.$date <= to.description) }
        return query.sort(\.$date, .descending).sort(\.$id, .descending)
    }

    func visible(_ id: UUID) async throws -> CompetitorPrice? { try await CompetitorPrice.find(id, on: db) }

    func dto(_ price: CompetitorPrice) async throws -> CompetitorPriceDTO { try await dtos([price])[0] }

    func dtos(_ prices: [CompetitorPrice]) async throws -> [CompetitorPriceDTO] {
        let files = try await Self.files(of: try prices.map { try $0.requireID() }, on: db)
        return try prices.map { try CompetitorPriceDTO($0, attachments: files[try $0.requireID()] ?? []) }
    }

    static func files(of ids: [UUID], on db: any Database) async throws -> [UUID: [AttachmentDTO]] {
        try await StoredFiles.list(CompetitorPriceFile.self, of: ids, on: db)
    }

    func create(_ input: CompetitorPriceInput) async throws -> CompetitorPrice {
        let price = CompetitorPrice()
        price.id = TimeOrderedID.make()
        price.date = context.today.description
        price.currency = "RUB"
        price.recordedBy = context.author.userID
        var errors = FieldErrors()
        if input.competitorId == nil { errors.add("competitorId", "is required") }
        if input.productId == nil { errors.add("productId", "is required") }
        if input.price == nil { errors.add("price", "is required") }
        price.priceCents = 0
        try await apply(input, to: price, clearing: [], into: &errors)
        let files = input.attachments.map { InteractionService.files($0, existing: [], limit: Self.fileLimit, count: 10, into: &errors) }
        try errors.check()
        let id = try price.requireID()
        let pair = (price.productID, price.competitorID)
        try await writer.create(price) { tx in
            try await StoredFiles.save(files, as: CompetitorPriceFile.self, of: id, on: tx)
            try await CompetitorPricePairs.note([pair], on: tx)
        }
        return price
    }

    static let fileLimit = 10 * 1024 * 1024

    func update(_ price: CompetitorPrice, with input: CompetitorPriceInput, clearing: Set<String>) async throws {
        var errors = FieldErrors()
        let before = try CompetitorPriceDTO(price)
        try await apply(input, to: price, clearing: clearing, into: &errors)
        var files: [(dto: AttachmentDTO, data: Data?)]?
        if let asked = input.attachments {
            let existing = try await Self.files(of: [try price.requireID()], on: db)[try price.requireID()] ?? []
            files = InteractionService.files(asked, existing: existing, limit: Self.fileLimit, count: 10, into: &errors)
        }
        try errors.check()
        let id = try price.requireID(), chosen = files, pair = (price.productID, price.competitorID)
        try await writer.update(price, before: before, expectedVersion: input.version) { tx in
            try await StoredFiles.save(chosen, as: CompetitorPriceFile.self, of: id, on: tx)
            try await CompetitorPricePairs.note([pair], on: tx)
        }
    }

    func setDeletionMark(_ price: CompetitorPrice, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(price, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<CompetitorPrice> {
        RecordWriter(db: db, author: context.author) { try CompetitorPriceDTO($0) }
    }

    private func apply(_ input: CompetitorPriceInput, to p: CompetitorPrice, clearing: Set<String>, into errors: inout FieldErrors) async throws {
        if let id = input.competitorId {
            if try await Partner.query(on: db).filter(\.$id == id).filter(\.$isCompetitor == true).filter(\.$deletionMark == false).count() == 0 {
                errors.add("competitorId", "names no partner flagged as a competitor")
            }
            p.competitorID = id
        }
        if let id = input.productId {
            if try await Product.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
                errors.add("productId", "names a product that does not exist")
            }
            p.productID = id
        }
        if let text = input.date.cleaned {
            if let day = CalendarDate(accepting: text) { p.date = day.description } else { errors.add("date", CalendarDate.acceptedMessage) }
        }
        if let amount = input.price {
            if let cents = Money.cents(amount), cents >= 0 { p.priceCents = cents } else { errors.add("price", "must be an amount of at least 0 with at most 2 decimals, less than a trillion") }
        }
        if let currency = input.currency.cleaned {
            let code = currency.uppercased()
            if code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }) { p.currency = code } else { errors.add("currency", "must be a three-letter currency code such as RUB") }
        }
        if let unit = input.unit { p.unit = unit.cleaned; if (p.unit ?? "").count > 20 { errors.add("unit", "must be at most 20 characters") } }
        if clearing.contains("unit") { p.unit = nil }
        if let note = input.note { p.note = note.cleaned; if (p.note ?? "").count > 2_000 { errors.add("note", "must be at most 2000 characters") } }
        if clearing.contains("note") { p.note = nil }
        if let id = input.sourceId {
            if try await CompetitorPriceSource.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
                errors.add("sourceId", "names a price source that does not exist")
            }
            p.sourceID = id
        }
        if clearing.contains("sourceId") { p.sourceID = nil }
        if let id = input.dealId {
            if try await DealQueries.scoped(context.scope, on: db).filter(\.$id == id).count() == 0 { errors.add("dealId", "names a deal that does not exist") }
            p.dealID = id
        }
        if clearing.contains("dealId") { p.dealID = nil }
        if let id = input.interactionId {
            if try await InteractionQueries.scoped(context.scope, userID: context.author.userID, on: db).filter(\.$id == id).count() == 0 {
                errors.add("interactionId", "names an interaction that does not exist")
            }
            p.interactionID = id
        }
        if clearing.contains("interactionId") { p.interactionID = nil }
    }
}

/// A competitor's strengths and weaknesses, dated.
struct CompetitorNoteService: RecordService {
    static let noun = "competitor note"

    let context: ServiceContext
    var db: any Database { context.db }

    init(_ context: ServiceContext) { self.context = context }

    func list(competitorID: UUID?, includeDeleted: Bool) -> QueryBuilder<CompetitorNote> {
        let query = CompetitorNote.query(on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let id = competitorID { query.filter(\.$competitorID == id) }
        return query.sort(\.$date, .descending).sort(\.$id, .descending)
    }

    func visible(_ id: UUID) async throws -> CompetitorNote? { try await CompetitorNote.find(id, on: db) }

    func dto(_ note: CompetitorNote) async throws -> CompetitorNoteDTO { try CompetitorNoteDTO(note) }

    func create(_ input: CompetitorNoteInput) async throws -> CompetitorNote {
        let note = CompetitorNote()
        note.id = TimeOrderedID.make()
        note.date = context.today.description
        note.kind = .strength
        note.text = ""
        note.authorID = context.author.userID
        var errors = FieldErrors()
        if input.competitorId == nil { errors.add("competitorId", "is required") }
        if input.kind == nil { errors.add("kind", "is required") }
        try await apply(input, to: note, into: &errors)
        try errors.check()
        try await writer.create(note)
        return note
    }

    func update(_ note: CompetitorNote, with input: CompetitorNoteInput, clearing: Set<String>) async throws {
        var errors = FieldErrors()
        let before = try CompetitorNoteDTO(note)
        try await apply(input, to: note, into: &errors)
        try errors.check()
        try await writer.update(note, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ note: CompetitorNote, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(note, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<CompetitorNote> {
        RecordWriter(db: db, author: context.author) { try CompetitorNoteDTO($0) }
    }

    private func apply(_ input: CompetitorNoteInput, to n: CompetitorNote, into errors: inout FieldErrors) async throws {
        if let id = input.competitorId {
            if try await Partner.query(on: db).filter(\.$id == id).filter(\.$isCompetitor == true).filter(\.$deletionMark == false).count() == 0 {
                errors.add("competitorId", "names no partner flagged as a competitor")
            }
            n.competitorID = id
        }
        if let kind = input.kind { n.kind = kind }
        if let text = input.date.cleaned {
            if let day = CalendarDate(accepting: text) { n.date = day.description } else { errors.add("date", CalendarDate.acceptedMessage) }
        }
        if let text = input.text {
            guard let cleaned = text.cleaned else { errors.add("text", "is required"); return }
            if cleaned.count > 4_000 { errors.add("text", "must be at most 4000 characters") }
            n.text = cleaned
        } else if n.text.isEmpty { errors.add("text", "is required") }
    }
}
