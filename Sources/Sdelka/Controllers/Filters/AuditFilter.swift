import SdelkaCore
import Vapor

extension AuditQueries {
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
}
