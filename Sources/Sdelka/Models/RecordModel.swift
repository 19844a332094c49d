import Fluent
import Vapor

/// An object users create and change: it carries `version` for optimistic locking and the
/// deletion mark (Пометка удаления), and every change to it lands in the audit log.
protocol RecordModel: Model, Sendable where IDValue == UUID {
    /// The name of the object type in the audit log and in purge reports.
    static var objectType: String { get }
    var version: Int { get set }
    var deletionMark: Bool { get set }
}

extension User: RecordModel {
    static let objectType = "user"
}
