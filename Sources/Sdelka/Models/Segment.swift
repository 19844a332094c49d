import Fluent
import Foundation
import SdelkaCore
import Vapor

/// Сегмент партнеров (DOMAIN.md §7). The rule is kept as JSON text: it is read whole, never
/// queried into.
final class Segment: RecordModel, @unchecked Sendable {
    static let schema = "segments"
    static let objectType = "segment"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: SegmentKind
    @OptionalField(key: "rule") var ruleJSON: String?
    @Field(key: "stop_list") var stopList: Bool
    @OptionalField(key: "comment") var comment: String?
    @OptionalField(key: "refreshed_at") var refreshedAt: Date?
    @Field(key: "search_text") var searchText: String

    init() {}

    var rule: SegmentRule? {
        get { ruleJSON.flatMap { try? JSONDecoder().decode(SegmentRule.self, from: Data($0.utf8)) } }
        set { ruleJSON = newValue.flatMap { try? String(decoding: JSONEncoder.sorted.encode($0), as: UTF8.self) } }
    }
}

extension JSONEncoder {
    /// Stable text for stored JSON, so that equal values are equal strings.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
