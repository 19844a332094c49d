import Foundation
import SdelkaCore
import Vapor

/// A competitor's price (ARCHITECTURE.md "Wave 2 contract") with its unit, who recorded it,
/// the deal or interaction it came from, and its files.
struct CompetitorPriceDTO: Content, Equatable {
    var id: UUID
    var competitorId: UUID
    var productId: UUID
    var date: String
    var price: Decimal
    var currency: String
    var unit: String?
    var sourceId: UUID?
    var recordedBy: UUID?
    var dealId: UUID?
    var interactionId: UUID?
    var note: String?
    var attachments: [AttachmentDTO]
    var deletionMark: Bool
    var version: Int

    init(_ p: CompetitorPrice, attachments: [AttachmentDTO] = []) throws {
        id = try p.requireID()
        competitorId = p.competitorID
        productId = p.productID
        date = p.date
        price = Money.decimal(cents: p.priceCents)
        currency = p.currency
        unit = p.unit
        sourceId = p.sourceID
        recordedBy = p.recordedBy
        dealId = p.dealID
        interactionId = p.interactionID
        note = p.note
        self.attachments = attachments
        deletionMark = p.deletionMark
        version = p.version
    }
}

struct CompetitorPriceInput: Content {
    var competitorId: UUID?
    var productId: UUID?
    var date: String?
    var price: Decimal?
    var currency: String?
    var unit: String?
    var sourceId: UUID?
    var dealId: UUID?
    var interactionId: UUID?
    var note: String?
    var attachments: [AttachmentInput]?
    var version: Int?
}

struct CompetitorNoteDTO: Content, Equatable {
    var id: UUID
    var competitorId: UUID
    var date: String
    var kind: CompetitorNote.Kind
    var text: String
    var authorId: UUID?
    var deletionMark: Bool
    var version: Int

    init(_ n: CompetitorNote) throws {
        id = try n.requireID()
        competitorId = n.competitorID
        date = n.date
        kind = n.kind
        text = n.text
        authorId = n.authorID
        deletionMark = n.deletionMark
        version = n.version
    }
}

struct CompetitorNoteInput: Content {
    var competitorId: UUID?
    var date: String?
    var kind: CompetitorNote.Kind?
    var text: String?
    var version: Int?
}
