import Foundation
import Vapor

/// A named API token as `/api/v1/me/tokens` shows it.
struct ApiTokenDTO: Content {
    var id: UUID
    var name: String?
    var kind: String
    var createdAt: Date?
    var expiresAt: Date
    var lastUsedAt: Date?
    var revoked: Bool
    /// The secret, present only in the answer to the request that created the token.
    var token: String?

    init(_ token: UserToken, secret: String? = nil) throws {
        self.id = try token.requireID()
        self.name = token.name
        self.kind = token.kind.rawValue
        self.createdAt = token.createdAt
        self.expiresAt = token.expiresAt
        self.lastUsedAt = token.lastUsedAt
        self.revoked = token.revokedAt != nil
        self.token = secret
    }
}
