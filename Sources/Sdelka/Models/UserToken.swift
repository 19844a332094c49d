import Crypto
import Fluent
import Vapor

/// A bearer credential: an API login, a named long-lived API token, a web session, or the
/// secret of a calendar link (good for the calendar feed only).
/// Only the SHA-256 of the secret is stored, so a leaked database leaks no usable token.
final class UserToken: Model, @unchecked Sendable {
    static let schema = "user_tokens"

    enum Kind: String, Codable, Sendable { case login, api, web, calendar }

    // managed fields
    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    // data fields
    @Field(key: "kind") var kind: Kind
    @OptionalField(key: "name") var name: String?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    // relationships
    @Parent(key: "user_id") var user: User

    init() {}

    init(userID: UUID, kind: Kind, name: String?, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.kind = kind
        self.name = name
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    /// A new random secret and the hash to store for it.
    static func generate() -> (secret: String, hash: String) {
        let secret = "sdk_" + Data([UInt8].random(count: 32)).base64URLEncoded()
        return (secret, hash(secret))
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hex
    }
}

extension Data {
    func base64URLEncoded() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
