import Foundation

/// One changed field of an audited object, with the values before and after as JSON text
/// (`nil` where the object did not exist before or does not exist after).
public struct FieldChange: Codable, Equatable, Sendable {
    public var field: String
    public var old: JSONValue?
    public var new: JSONValue?

    public init(field: String, old: JSONValue?, new: JSONValue?) {
        self.field = field; self.old = old; self.new = new
    }

    /// The fields that differ between two snapshots of an object, sorted by name.
    /// `ignoring` leaves out bookkeeping such as `version` that changes on every write.
    public static func diff(
        old: [String: JSONValue]?, new: [String: JSONValue]?, ignoring: Set<String> = ["version"]
    ) -> [FieldChange] {
        if old == nil, let new {
            // A creation (imports audit every row): the fields that have a value.
            return new.filter { !ignoring.contains($0.key) && $0.value != .null }
                .sorted { $0.key < $1.key }.map { FieldChange(field: $0.key, old: nil, new: $0.value) }
        }
        let keys = Set((old ?? [:]).keys).union((new ?? [:]).keys).subtracting(ignoring)
        return keys.sorted().compactMap { key in
            let before = old?[key], after = new?[key]
            let same = (before ?? .null) == (after ?? .null)
            return same ? nil : FieldChange(field: key, old: before, new: after)
        }
    }

    /// The JSON text of a list of changes, as the audit log stores it (keys sorted), written
    /// directly: bulk imports audit every row and JSONEncoder dominated their time.
    public static func json(_ changes: [FieldChange]) -> String {
        var out = JSONWriter(capacity: 64 * changes.count + 2)
        write(changes, to: &out)
        return out.text
    }

    public static func write(_ changes: [FieldChange], to out: inout JSONWriter) {
        out.raw("[")
        for (index, change) in changes.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{\"field\":")
            out.string(change.field)
            if let new = change.new { out.raw(",\"new\":"); new.write(to: &out) }
            if let old = change.old { out.raw(",\"old\":"); old.write(to: &out) }
            out.raw("}")
        }
        out.raw("]")
    }
}

extension JSONValue {
    func write(to out: inout JSONWriter) {
        switch self {
        case .null: out.raw("null")
        case .bool(let value): out.raw(value ? "true" : "false")
        case .number(let value): out.raw("\(value)")
        case .string(let value): out.string(value)
        case .array(let items):
            out.raw("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.raw(",") }
                item.write(to: &out)
            }
            out.raw("]")
        case .object(let fields):
            out.raw("{")
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out.raw(",") }
                out.string(key)
                out.raw(":")
                fields[key]!.write(to: &out)
            }
            out.raw("}")
        }
    }
}
