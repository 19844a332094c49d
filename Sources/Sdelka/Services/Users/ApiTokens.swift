import Fluent
import Foundation
import SdelkaCore

/// A user's own named API tokens and calendar link: issued with the secret shown once,
/// listed, revoked; each named token's life is in the audit log.
struct ApiTokens: Sendable {
    let user: CurrentUser
    let db: any Database

    static func query(_ userID: UUID, on db: any Database) -> QueryBuilder<UserToken> {
        UserToken.query(on: db)
            .filter(\.$user.$id == userID)
            .filter(\.$kind == .api)
            .sort(\.$createdAt, .descending)
    }

    func issue(name: String, days: Int) async throws -> (secret: String, token: UserToken) {
        let (secret, token) = try await TokenStore.issue(
            for: user.id, kind: .api, name: name, lifetime: TimeInterval(days) * 86_400, on: db)
        try await Audit.record(.create, objectType: "apiToken", objectID: token.requireID().uuidString,
                               before: nil as ApiTokenDTO?, after: ApiTokenDTO(token), by: ChangeAuthor(user), on: db)
        return (secret, token)
    }

    func revoke(_ id: UUID) async throws -> ApiTokenDTO {
        guard let token = try await Self.query(user.id, on: db).filter(\.$id == id).first() else {
            throw NotFound("token")
        }
        let before = try ApiTokenDTO(token)
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await token.update(on: db)
            TokenCache.shared.evict(tokenID: try token.requireID())
            try await Audit.record(.update, objectType: "apiToken", objectID: token.requireID().uuidString,
                                   before: before, after: ApiTokenDTO(token), by: ChangeAuthor(user), on: db)
        }
        return try ApiTokenDTO(token)
    }

    /// A new secret calendar link, the path with its key; the user's older links stop working.
    func newCalendarLink() async throws -> String {
        try await revokeCalendarLinks()
        let (secret, _) = try await TokenStore.issue(for: user.id, kind: .calendar, name: "calendar", lifetime: 5 * 365 * 86_400, on: db)
        return "/api/v1/interactions.ics?key=\(secret)"
    }

    func revokeCalendarLinks() async throws {
        for token in try await UserToken.query(on: db).filter(\.$user.$id == user.id).filter(\.$kind == .calendar).filter(\.$revokedAt == nil).all() {
            try await TokenStore.revoke(try token.requireID(), on: db)
        }
    }
}
