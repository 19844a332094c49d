import Foundation
import Vapor

/// PATCH semantics: an absent field is left as it is, a field sent as `null` is cleared.
/// Swift's decoding cannot tell the two apart, so the top-level null keys are read here.
enum ExplicitNulls {
    static func keys(of req: Request) -> Set<String> {
        guard req.headers.contentType == .json, let body = req.body.data,
              let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        else { return [] }
        return Set(object.filter { $0.value is NSNull }.map(\.key))
    }
}
