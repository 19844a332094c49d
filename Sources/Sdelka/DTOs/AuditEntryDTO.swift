import Foundation
import SdelkaCore
import Vapor

/// One entry of the audit log as the API shows it.
struct AuditEntryDTO: Content {
    var id: UUID
    var at: Date
    var userId: UUID?
    var userLogin: String
    var action: String
    var objectType: String
    var objectId: String
    var changes: [FieldChange]

    init(_ entry: AuditEntry) throws {
        self.id = try entry.requireID()
        self.at = entry.at
        self.userId = entry.userID
        self.userLogin = entry.userLogin
        self.action = entry.action.rawValue
        self.objectType = entry.objectType
        self.objectId = entry.objectID
        self.changes = try JSONDecoder().decode([FieldChange].self, from: Data(entry.changes.utf8))
    }
}
