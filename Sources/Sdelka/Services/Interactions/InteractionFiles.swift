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

    static func saveFiles(_ files: [(dto: AttachmentDTO, data: Data?)]?, of i: Interaction, on db: any Database) async throws {
        try await StoredFiles.save(files, as: InteractionAttachment.self, of: try i.requireID(), on: db)
    }
}
