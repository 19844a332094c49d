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
    private struct FileRow: Decodable { var id: UUID; var owner_id: UUID; var filename: String; var content_type: String; var size: Int }

    /// The files of some records without their content, each record's in order.
    static func list<F: StoredFile>(_: F.Type, of owners: [UUID], on db: any Database) async throws -> [UUID: [AttachmentDTO]] {
        guard !owners.isEmpty else { return [:] }
        let owner = F()[keyPath: F.owner].key.description
        var result: [UUID: [AttachmentDTO]] = [:]
        for chunk in owners.chunks(of: 500) {
            for row in try await db.sql.select().column("id").column(SQLColumn(owner), as: "owner_id").columns("filename", "content_type", "size")
                .from(F.schema).where(SQLColumn(owner), .in, SQLBind.group(Array(chunk))).orderBy("position").all(decoding: FileRow.self) {
                result[row.owner_id, default: []].append(AttachmentDTO(id: row.id, filename: row.filename, contentType: row.content_type, size: row.size))
            }
        }
        return result
    }

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
