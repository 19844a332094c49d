import Foundation
import SdelkaCore
import Vapor

struct SegmentDTO: Content, Equatable {
    var id: UUID
    var name: String
    var kind: SegmentKind
    var rule: SegmentRule?
    var stopList: Bool
    var comment: String?
    /// When a periodic segment's members were last stored.
    var refreshedAt: Date?
    /// The members the user may see (a dynamic segment's evaluated now); absent in the audit log.
    var memberCount: Int?
    var deletionMark: Bool
    var version: Int

    init(_ s: Segment, memberCount: Int?) throws {
        id = try s.requireID()
        name = s.name
        kind = s.kind
        rule = s.rule
        stopList = s.stopList
        comment = s.comment
        refreshedAt = s.refreshedAt
        self.memberCount = memberCount
        deletionMark = s.deletionMark
        version = s.version
    }
}

/// Create and PATCH body; absent fields stay as they are.
struct SegmentInput: Content {
    var name: String?
    var kind: SegmentKind?
    var rule: SegmentRule?
    var stopList: Bool?
    var comment: String?
    var version: Int?

    func validate(current: Segment?) -> FieldErrors {
        var errors = FieldErrors()
        if (name ?? current?.name).cleaned == nil { errors.add("name", "is required") }
        guard let kind = kind ?? current?.kind else {
            errors.add("kind", "is required")
            return errors
        }
        if let rule {
            if kind.hasRule { errors.merge(rule.validate()) } else { errors.add("rule", "applies to dynamic and periodic segments only") }
        } else if kind.hasRule, current?.rule == nil {
            errors.add("rule", "is required for a dynamic or periodic segment")
        }
        return errors
    }
}

struct SegmentMemberDTO: Content, Equatable {
    var partnerId: UUID
    var code: String?
    var name: String
}

struct SegmentMembersInput: Content {
    var partnerIds: [UUID]
}
