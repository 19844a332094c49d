import Fluent
import Vapor

/// One group of settings (feature switches, classification), stored as JSON under a key.
final class Setting: Model, @unchecked Sendable {
    static let schema = "settings"

    // managed fields
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    // data fields
    @Field(key: "key") var key: String
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        self.key = key
        self.value = value
        self.version = 1
    }
}
