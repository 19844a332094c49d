import Foundation
import Vapor

struct PartnerLinkDTO: Content, Equatable {
    var id: UUID
    var partnerId: UUID
    var linkedPartnerId: UUID
    var kindId: UUID
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init(_ link: PartnerLink) throws {
        id = try link.requireID()
        partnerId = link.partnerID
        linkedPartnerId = link.linkedPartnerID
        kindId = link.kindID
        comment = link.comment
        deletionMark = link.deletionMark
        version = link.version
    }
}

struct PartnerLinkInput: Content {
    var partnerId: UUID?
    var linkedPartnerId: UUID?
    var kindId: UUID?
    var comment: String?
    var version: Int?
}
