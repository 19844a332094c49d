import Fluent
import Foundation
import SQLKit

/// A file kept with a record (a letter's attachment, a mailing's file): one row each, ordered.
protocol StoredFile: Model where IDValue == UUID {
    static var owner: KeyPath<Self, FieldProperty<Self, UUID>> { get }
    var ownerID: UUID { get set }
    var position: Int { get set }
    var filename: String { get set }
    var contentType: String { get set }
    var size: Int { get set }
    var data: Data { get set }
    init()
}

extension InteractionAttachment: StoredFile {
    static var owner: KeyPath<InteractionAttachment, FieldProperty<InteractionAttachment, UUID>> { \.$interactionID }
    var ownerID: UUID {
        get { interactionID }
        set { interactionID = newValue }
    }
}

extension MailingAttachment: StoredFile {
    static var owner: KeyPath<MailingAttachment, FieldProperty<MailingAttachment, UUID>> { \.$mailingID }
    var ownerID: UUID {
        get { mailingID }
        set { mailingID = newValue }
    }
}

enum StoredFiles {
    /// Keeps the files listed (in their new order), adds the new ones, drops the rest.
    static func save<F: StoredFile>(_ files: [(dto: AttachmentDTO, data: Data?)]?, as _: F.Type, of owner: UUID, on db: any Database) async throws {
        guard let files else { return }
        let kept = files.filter { $0.data == nil }.map(\.dto.id)
        try await F.query(on: db).filter(F.owner == owner).filter(\._$id !~ kept).delete()
        for (position, file) in files.enumerated() {
            guard let data = file.data else {
                try await db.sql.update(F.schema).set("position", to: SQLBind(position)).where("id", .equal, SQLBind(file.dto.id)).run()
                continue
            }
            let row = F()
            row.id = file.dto.id
            row.ownerID = owner
            row.position = position
            row.filename = file.dto.filename
            row.contentType = file.dto.contentType
            row.size = file.dto.size
            row.data = data
            try await row.create(on: db)
        }
    }
}
