import NIOConcurrencyHelpers
import Vapor

/// Verified tokens, remembered for a few seconds so that a burst of API calls does not look the
/// same token up for every request (it halves the queries of a simple authenticated read).
/// Any change to a user or a revocation made through this process evicts at once; another app
/// server sees it within `lifetime`. An entry never outlives its token.
final class TokenCache: Sendable {
    static let shared = TokenCache()
    static let lifetime: TimeInterval = 5
    static let capacity = 10_000

    private struct Entry {
        var user: CurrentUser
        var validUntil: Date
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    func get(_ hash: String, now: Date = Date()) -> CurrentUser? {
        entries.withLockedValue { entries in
            guard let entry = entries[hash] else { return nil }
            if entry.validUntil <= now {
                entries[hash] = nil
                return nil
            }
            return entry.user
        }
    }

    func put(_ hash: String, _ user: CurrentUser, tokenExpiresAt: Date, now: Date = Date()) {
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = Entry(user: user, validUntil: min(tokenExpiresAt, now.addingTimeInterval(Self.lifetime)))
        }
    }

    func evict(tokenID: UUID) {
        entries.withLockedValue { $0 = $0.filter { $0.value.user.tokenID != tokenID } }
    }

    func evict(userID: UUID) {
        entries.withLockedValue { $0 = $0.filter { $0.value.user.id != userID } }
    }
}
