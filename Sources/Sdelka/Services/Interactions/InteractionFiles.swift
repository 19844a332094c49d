import Fluent
import Foundation
import SdelkaCore

extension InteractionService {
    /// Checked and decoded files of a letter, in order; a kept file has no new data. Errors
    /// name the file by its place.
    static func files(_ inputs: [AttachmentInput], existing: [AttachmentDTO], limit: Int, count: Int,
                      into errors: inout FieldErrors) -> [(dto: AttachmentDTO, data: Data?)] {
        guard inputs.count <= count else { errors.add("attachments", "must be at most \(count) files"); return [] }
        var result: [(dto: AttachmentDTO, data: Data?)] = [], total = 0
        for (index, input) in inputs.enumerated() {
            if let id = input.id {
                guard let kept = existing.first(where: { $0.id == id }) else {
                    errors.add("attachments.\(index).id", "names a file that the letter does not have"); continue
                }
                total += kept.size
                result.append((kept, nil))
                continue
            }
            let name = (input.filename ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { errors.add("attachments.\(index).filename", "is required") }
            guard let data = Data(base64Encoded: input.content ?? "", options: .ignoreUnknownCharacters), input.content != nil else {
                errors.add("attachments.\(index).content", "must be base64"); continue
            }
            total += data.count
            let type = input.contentType.cleaned ?? "application/octet-stream"
            if !type.contains("/") || type.contains(where: { $0.isWhitespace || $0 == ";" }) {
                errors.add("attachments.\(index).contentType", "must be a media type such as application/pdf")
            }
            result.append((AttachmentDTO(id: TimeOrderedID.make(), filename: name, contentType: type.lowercased(), size: data.count), data))
        }
        if total > limit { errors.add("attachments", "must not exceed \(limit / 1_048_576) MB together") }
        return result
    }

    /// Keeps the files listed (in their new order), adds the new ones, drops the rest.
    static func saveFiles(_ files: [(dto: AttachmentDTO, data: Data?)]?, of i: Interaction, on db: any Database) async throws {
        guard let files else { return }
        let id = try i.requireID()
        let kept = files.filter { $0.data == nil }.map(\.dto.id)
        try await InteractionAttachment.query(on: db).filter(\.$interactionID == id).filter(\.$id !~ kept).delete()
        for (position, file) in files.enumerated() {
            guard let data = file.data else {
                try await InteractionAttachment.query(on: db).filter(\.$id == file.dto.id).set(\.$position, to: position).update()
                continue
            }
            let row = InteractionAttachment()
            row.id = file.dto.id
            row.interactionID = id
            row.position = position
            row.filename = file.dto.filename
            row.contentType = file.dto.contentType
            row.size = file.dto.size
            row.data = data
            try await row.create(on: db)
        }
    }
}
