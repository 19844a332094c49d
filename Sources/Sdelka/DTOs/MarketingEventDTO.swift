import SdelkaCore
import Vapor

struct EventParticipantDTO: Content, Equatable {
    var partnerId: UUID
    var contactPersonId: UUID?
    var role: String?
    var invited: Bool
    var attended: Bool
}

struct MarketingEventDTO: Content, Equatable {
    var id: UUID
    var name: String
    var kind: String?
    var channelId: UUID?
    var plannedStart: String
    var plannedEnd: String
    var actualStart: String?
    var actualEnd: String?
    var responsibleId: UUID?
    var targetSegmentId: UUID?
    var finished: Bool
    var budget: Decimal?
    var actualCost: Decimal?
    var participants: [EventParticipantDTO]
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init(_ e: MarketingEvent, participants: [EventParticipantDTO]) throws {
        id = try e.requireID()
        name = e.name
        kind = e.kind
        channelId = e.channelID
        plannedStart = e.plannedStart
        plannedEnd = e.plannedEnd
        actualStart = e.actualStart
        actualEnd = e.actualEnd
        responsibleId = e.responsibleID
        targetSegmentId = e.targetSegmentID
        finished = e.finished
        budget = e.budgetCents.map(Money.decimal(cents:))
        actualCost = e.actualCostCents.map(Money.decimal(cents:))
        self.participants = participants
        comment = e.comment
        deletionMark = e.deletionMark
        version = e.version
    }
}

/// Create and PATCH body; absent fields stay as they are, "" clears an optional text or date.
struct MarketingEventInput: Content {
    var name: String?
    var kind: String?
    var channelId: UUID?
    var plannedStart: String?
    var plannedEnd: String?
    var actualStart: String?
    var actualEnd: String?
    var responsibleId: UUID?
    var targetSegmentId: UUID?
    var finished: Bool?
    var budget: Decimal?
    var actualCost: Decimal?
    var participants: [EventParticipantDTO]?
    var comment: String?
    var version: Int?

    /// The checks that need no database, against the values the event will have.
    func validate(current: MarketingEvent?) -> FieldErrors {
        var errors = FieldErrors()
        if current == nil {
            for (field, value) in [("name", name), ("plannedStart", plannedStart), ("plannedEnd", plannedEnd)] where value.cleaned == nil {
                errors.add(field, "is required")
            }
        } else if let name, name.cleaned == nil {
            errors.add("name", "must not be empty")
        }
        if let name, name.count > 300 { errors.add("name", "must be at most 300 characters") }
        func date(_ field: String, _ value: String?, _ existing: String?, required: Bool = false) -> CalendarDate? {
            guard let value else { return existing.flatMap { CalendarDate($0) } }
            guard let text = value.cleaned else {
                if required && current != nil { errors.add(field, "is required") }
                return nil
            }
            guard let parsed = CalendarDate(accepting: text) else { errors.add(field, CalendarDate.acceptedMessage); return nil }
            return parsed
        }
        let plannedStart = date("plannedStart", plannedStart, current?.plannedStart, required: true)
        let plannedEnd = date("plannedEnd", plannedEnd, current?.plannedEnd, required: true)
        if let start = plannedStart, let end = plannedEnd, end < start { errors.add("plannedEnd", "must not be before plannedStart") }
        let actualStart = date("actualStart", actualStart, current?.actualStart)
        let actualEnd = date("actualEnd", actualEnd, current?.actualEnd)
        if let start = actualStart, let end = actualEnd, end < start { errors.add("actualEnd", "must not be before actualStart") }
        for (field, amount) in [("budget", budget), ("actualCost", actualCost)] {
            guard let amount else { continue }
            if amount < 0 { errors.add(field, "must not be negative") }
            else if Money.cents(amount) == nil { errors.add(field, Money.amountMessage) }
        }
        var seen = Set<String>()
        for (index, participant) in (participants ?? []).enumerated() {
            let key = "\(participant.partnerId)/\(participant.contactPersonId?.uuidString ?? "")"
            if !seen.insert(key).inserted { errors.add("participants.\(index).partnerId", "is already a participant") }
        }
        return errors
    }
}
