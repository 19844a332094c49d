/// The errors the services throw, in the domain's words; the server's error middleware turns
/// them into HTTP answers and the pages into form messages. Field problems are `FieldErrors`.

/// The record does not exist, or the user may not see it (both answer the same, so a hidden
/// record cannot be told from a missing one).
public struct NotFound: Error, Equatable, Sendable {
    public var message: String
    public init(_ what: String = "object") { message = "No such \(what)." }
    public init(message: String) { self.message = message }
}

/// Someone saved the record since the client read it.
public struct VersionConflict: Error, Equatable, Sendable {
    public var current: Int
    public init(current: Int) { self.current = current }
}

/// A rule about the data as a whole forbids the change (the last administrator, a record still
/// referred to, an interaction already sent); `code` is the stable name clients match on.
public struct RuleConflict: Error, Equatable, Sendable {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The part of the system the request needs is switched off in settings.
public struct FeatureOff: Error, Equatable, Sendable {
    public var feature: FeatureSwitches.Feature
    public init(_ feature: FeatureSwitches.Feature) { self.feature = feature }
}

/// The user's role does not allow the action.
public struct NotAllowed: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String = "Your role does not allow this action.") { self.message = message }
}
