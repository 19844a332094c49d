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
}
