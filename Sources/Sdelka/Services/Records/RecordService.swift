import Fluent
import Foundation
import SdelkaCore

/// A record type's rules as the generic record resource (`RecordResource` in the API,
/// `RecordPageActions` in the web) sees them: find through the access rule, show, create,
/// change, mark for deletion and restore. A new record type conforms its service and writes
/// only its list filter and its form.
protocol RecordService: Sendable {
    associatedtype Record: RecordModel
    associatedtype Input: Decodable & Sendable
    associatedtype DTO: Encodable & Sendable

    /// The record's name in "No such …" answers.
    static var noun: String { get }
    /// The permission needed to change records of the type; reading needs a signed-in user.
    static var editPermission: Permission { get }

    init(_ context: ServiceContext)

    /// The record if it exists and the user may see it.
    func visible(_ id: UUID) async throws -> Record?
    func dto(_ record: Record) async throws -> DTO
    func create(_ input: Input) async throws -> Record
    /// `clearing`: the fields the client sent as an explicit `null`.
    func update(_ record: Record, with input: Input, clearing: Set<String>) async throws
    func setDeletionMark(_ record: Record, to mark: Bool, expectedVersion: Int?) async throws
}

extension RecordService {
    static var editPermission: Permission { .editRecords }

    /// The record the user may see, or `NotFound` (a hidden record answers as a missing one).
    func find(_ id: UUID) async throws -> Record {
        guard let record = try await visible(id) else { throw NotFound(Self.noun) }
        return record
    }

    /// Marks the record for deletion (`mark`) or restores it, answering it as it now is.
    func setDeletionMark(of id: UUID, to mark: Bool, expectedVersion: Int?) async throws -> DTO {
        let record = try await find(id)
        try await setDeletionMark(record, to: mark, expectedVersion: expectedVersion)
        return try await dto(record)
    }
}

/// What a page needs of a record's API representation to confirm an action on it.
protocol RecordRepresentation: Codable, Sendable {
    var id: UUID { get }
    /// The name a user knows the record by (a partner's name, a sale's number, a login).
    var title: String { get }
}
