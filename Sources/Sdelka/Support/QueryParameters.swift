import SdelkaCore
import Vapor

/// Typed list filters from the query string; every malformed one is reported at once as a
/// field error instead of being silently ignored.
struct QueryParameters {
    let req: Request
    private(set) var errors = FieldErrors()

    init(_ req: Request) { self.req = req }

    func text(_ name: String) -> String? { req.text(name) }

    mutating func bool(_ name: String) -> Bool? {
        guard let raw = req.text(name) else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            errors.add(name, "must be true or false")
            return nil
        }
    }

    mutating func uuid(_ name: String) -> UUID? {
        guard let raw = req.text(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { errors.add(name, "is not a UUID"); return nil }
        return id
    }

    mutating func date(_ name: String) -> CalendarDate? {
        guard let raw = req.text(name) else { return nil }
        guard let date = CalendarDate(accepting: raw) else { errors.add(name, CalendarDate.acceptedMessage); return nil }
        return date
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) -> T? where T.RawValue == String {
        guard let raw = req.text(name) else { return nil }
        guard let value = T(rawValue: raw) else {
            errors.add(name, "must be one of: " + T.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }

    mutating func int(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let raw = req.text(name) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            errors.add(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func fail(_ name: String, _ reason: String) { errors.add(name, reason) }

    func check() throws { try errors.check() }
}
