import Fluent
import SdelkaCore
import Vapor

/// Turns every error into the API's error shape (or an HTML page for the web UI), so that bad
/// input never surfaces as a 500 and nothing internal leaks into a response.
struct SdelkaErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let apiError = Self.classify(error, request: request)
            if apiError.status == .internalServerError {
                request.logger.report(error: error)
            }
            if request.url.path.hasPrefix("/api/") {
                return try Self.json(apiError)
            }
            return try await WebErrorPage.render(apiError, for: request)
        }
    }

    static func json(_ error: APIError) throws -> Response {
        let body = ErrorBody(error: .init(code: error.code, message: error.message, fields: error.fields))
        let response = Response(status: error.status)
        try response.content.encode(body, as: .json)
        return response
    }

    static func classify(_ error: any Error, request: Request) -> APIError {
        if let answer = APIError(answering: error) { return answer }
        switch error {
        case let database as any DatabaseError where database.isConstraintFailure:
            // A rule the service checks before writing, broken between its check and the write by
            // a save at the same moment (two new partners with one code): the database's unique
            // and foreign keys stopped it, and the client may reload and try again.
            request.logger.warning("constraint failure answered as 409: \(String(reflecting: error))")
            return APIError(status: .conflict, code: "conflict",
                            message: "Someone saved a conflicting change at the same moment. Reload and try again.")
        case let error as DecodingError:
            return decoding(error)
        case let abort as any AbortError:
            switch abort.status {
            case .notFound: return .notFound("route or object")
            case .unauthorized: return .unauthorized
            case .forbidden: return .forbidden
            case .unsupportedMediaType, .badRequest, .payloadTooLarge:
                return APIError(status: abort.status, code: "malformed_request", message: abort.reason)
            default:
                return APIError(status: abort.status, code: "http_\(abort.status.code)", message: abort.reason)
            }
        default:
            return APIError(status: .internalServerError, code: "internal_error",
                            message: "Something went wrong on the server; it has been logged.")
        }
    }

    /// Syntactically broken JSON is a malformed request (400); well-formed JSON of the wrong
    /// shape names the field at fault (422), as validation errors do.
    static func decoding(_ error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context, _ last: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (last.map { [$0] } ?? [])
            return keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .malformed("The body is not valid JSON.")
        case .dataCorrupted(let context):
            // Our own decoders (dates, for one) say what they accept as "must …".
            let reason = context.debugDescription.hasPrefix("must ") ? context.debugDescription : "has an invalid value"
            return .validation(path(context), reason)
        case .keyNotFound(let key, let context):
            return .validation(path(context, key), "is required")
        case .valueNotFound(_, let context):
            return .validation(path(context), "must not be null")
        case .typeMismatch(let type, let context):
            let field = path(context)
            if field.isEmpty { return .malformed("The body must be a JSON object.") }
            return .validation(field, "must be \(describe(type))")
        @unknown default:
            return .malformed("The body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int.Type, is Double.Type, is Decimal.Type: return "a number"
        case is [Any].Type: return "a list"
        default: return "an object of the right shape"
        }
    }
}
