/// Field-level validation problems, keyed by the API field name, in words a user understands.
public struct FieldErrors: Error, Equatable, Sendable {
    public private(set) var fields: [String: String] = [:]

    public init(_ fields: [String: String] = [:]) { self.fields = fields }

    /// One field at fault, for a rule that stops at the first problem.
    public init(_ field: String, _ reason: String) { fields = [field: reason] }

    public var isEmpty: Bool { fields.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        // The first problem found for a field is the one worth reporting.
        if fields[field] == nil { fields[field] = message }
    }

    public mutating func merge(_ other: FieldErrors, prefix: String = "") {
        for (key, value) in other.fields { add(prefix + key, value) }
    }

    /// Throws self when any problem was recorded.
    public func check() throws {
        if !isEmpty { throw self }
    }
}
