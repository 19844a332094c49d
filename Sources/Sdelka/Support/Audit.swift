import Fluent
import SdelkaCore
import Vapor

/// Who makes a change: a signed-in user, or the system itself (first start, CLI commands).
struct ChangeAuthor: Sendable {
    var userID: UUID?
    var login: String

    static let system = ChangeAuthor(userID: nil, login: "system")

    init(userID: UUID?, login: String) {
        self.userID = userID
        self.login = login
    }

    init(_ user: CurrentUser) {
        self.init(userID: user.id, login: user.login)
    }
}

enum Audit {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// Records a change of an object given its snapshots before and after (any Encodable DTO:
    /// the audit shows the same field names as the API).
    static func record<S: Encodable>(
        _ action: AuditEntry.Action, objectType: String, objectID: String,
        before: S?, after: S?, by author: ChangeAuthor, on db: any Database
    ) async throws {
        let old = try before.map { try JSONValue.fields(of: $0, encoder: encoder) }
        let new = try after.map { try JSONValue.fields(of: $0, encoder: encoder) }
        let changes = FieldChange.diff(old: old, new: new)
        // An update that changes nothing is not a change worth a line in the log.
        if action == .update && changes.isEmpty { return }
        try await record(action, objectType: objectType, objectID: objectID, changes: changes, by: author, on: db)
    }

    static func record(
        _ action: AuditEntry.Action, objectType: String, objectID: String,
        changes: [FieldChange], by author: ChangeAuthor, on db: any Database
    ) async throws {
        let entry = AuditEntry()
        entry.id = TimeOrderedID.make()
        entry.at = Date()
        entry.userID = author.userID
        entry.userLogin = author.login
        entry.action = action
        entry.objectType = objectType
        entry.objectID = objectID
        entry.changes = String(decoding: try encoder.encode(changes), as: UTF8.self)
        try await entry.create(on: db)
    }
}
