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
        var out = "["
        for (index, change) in changes.enumerated() {
            if index > 0 { out += "," }
            out += "{\"field\":"
            JSONValue.string(change.field).write(to: &out)
            if let new = change.new { out += ",\"new\":"; new.write(to: &out) }
            if let old = change.old { out += ",\"old\":"; old.write(to: &out) }
            out += "}"
        }
        return out + "]"
    }
}

extension JSONValue {
    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += "\(value)"
        case .string(let value):
            out += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                JSONValue.string(key).write(to: &out)
                out += ":"
                fields[key]!.write(to: &out)
            }
            out += "}"
        }
    }
}
