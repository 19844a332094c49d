import SdelkaCore
import Vapor

/// An error a client can act on: HTTP status, a stable machine code, a human message and,
/// for validation, the fields at fault. The wire shape is fixed by ARCHITECTURE.md:
/// `{"error":{"code","message","fields"}}`.
struct APIError: Error, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var fields: [String: String]? = nil

    static func malformed(_ message: String) -> APIError {
        APIError(status: .badRequest, code: "malformed_request", message: message)
    }
    static func validation(_ errors: FieldErrors) -> APIError {
        APIError(status: .unprocessableEntity, code: "validation_failed",
                 message: "Some fields are not valid.", fields: errors.fields)
    }
    static func validation(_ field: String, _ reason: String) -> APIError {
        validation(FieldErrors([field: reason]))
    }
    static let unauthorized = APIError(status: .unauthorized, code: "unauthorized",
                                       message: "Sign in first: a valid, unexpired token is required.")
    static let forbidden = APIError(status: .forbidden, code: "forbidden",
                                    message: "Your role does not allow this action.")
    static func notFound(_ what: String = "object") -> APIError {
        APIError(status: .notFound, code: "not_found", message: "No such \(what).")
    }
    static func featureDisabled(_ feature: FeatureSwitches.Feature) -> APIError {
        APIError(status: .notFound, code: "feature_disabled",
                 message: "The part '\(feature.rawValue)' is switched off in settings.")
    }
    static func versionConflict(current: Int) -> APIError {
        APIError(status: .conflict, code: "version_conflict",
                 message: "The object was changed by someone else (now version \(current)). Reload it and apply your change again.")
    }
    static func conflict(_ code: String, _ message: String) -> APIError {
        APIError(status: .conflict, code: code, message: message)
    }
    static let tooManyAttempts = APIError(status: .tooManyRequests, code: "too_many_attempts",
                                          message: "Too many failed logins. Try again in a minute.")
}

extension APIError {
    /// The answer to an error thrown on purpose (a domain error or an `APIError`); nil for a
    /// fault, which the middleware logs and answers 500.
    init?(answering error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let errors as FieldErrors: self = .validation(errors)
        case let missing as NotFound: self = APIError(status: .notFound, code: "not_found", message: missing.message)
        case let conflict as VersionConflict: self = .versionConflict(current: conflict.current)
        case let conflict as RuleConflict: self = .conflict(conflict.code, conflict.message)
        case let off as FeatureOff: self = .featureDisabled(off.feature)
        case let refusal as NotAllowed: self = APIError(status: .forbidden, code: "forbidden", message: refusal.message)
        case let blocked as ChecklistBlocked:
            self = APIError(status: .conflict, code: "checklist_incomplete",
                            message: "Required checklist actions are still open: " + blocked.actions.joined(separator: "; ") + ".",
                            fields: ["stageId": "required checklist actions are open"])
        default: return nil
        }
    }
}

struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var fields: [String: String]?
    }
    var error: Detail
}
