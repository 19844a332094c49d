import Fluent
import SdelkaCore
import Vapor

enum AuditController {
    struct EntryDTO: Content {
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

    struct Filter: Sendable {
        var objectType: String?
        var objectID: String?
        var userID: UUID?
        var from: Date?
        var to: Date?
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get("audit", use: index)
    }

    static func query(on db: any Database, _ filter: Filter) -> QueryBuilder<AuditEntry> {
        let query = AuditEntry.query(on: db)
        if let type = filter.objectType { query.filter(\.$objectType == type) }
        if let id = filter.objectID { query.filter(\.$objectID == id) }
        if let user = filter.userID { query.filter(\.$userID == user) }
        if let from = filter.from { query.filter(\.$at >= from) }
        if let to = filter.to { query.filter(\.$at < to) }
        return query.sort(\.$at, .descending).sort(\.$id)
    }

    static func filter(from req: Request) throws -> Filter {
        var errors = FieldErrors()
        var filter = Filter(objectType: req.text("objectType"), objectID: req.text("objectId"))
        if let raw = req.text("userId") {
            if let id = UUID(uuidString: raw) { filter.userID = id } else { errors.add("userId", "is not a UUID") }
        }
        // `from` and `to` are calendar dates in the company's zone; `to` includes its whole day.
        let zone = req.application.sdelka.timeZone
        if let raw = req.text("from") {
            if let day = CalendarDate(accepting: raw)?.start(in: zone) { filter.from = day } else { errors.add("from", CalendarDate.acceptedMessage) }
        }
        if let raw = req.text("to") {
            if let day = CalendarDate(accepting: raw)?.next.start(in: zone) { filter.to = day } else { errors.add("to", CalendarDate.acceptedMessage) }
        }
        try errors.check()
        return filter
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<EntryDTO> {
        try req.require(.viewAudit)
        let query = Self.query(on: req.db, try filter(from: req))
        return try await PageRequest(req).fetch(query) { try EntryDTO($0) }
    }
}
