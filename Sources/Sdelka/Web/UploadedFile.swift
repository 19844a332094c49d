import SdelkaCore
import Vapor

/// A file sent with a web form.
struct UploadedFile: Sendable {
    var field: String
    var filename: String
    var contentType: String
    var data: Data

    /// The text fields and the files of a `multipart/form-data` body; a file input left empty
    /// (no file name) is no file.
    static func parse(_ body: ByteBuffer, boundary: String) throws -> ([String: String], [UploadedFile]) {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders(), content = ByteBuffer()
        parser.onHeader = { headers.add(name: $0, value: $1) }
        parser.onBody = { content.writeBuffer(&$0) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: content))
            headers = HTTPHeaders()
            content = ByteBuffer()
        }
        do { try parser.execute(body) } catch { throw APIError.malformed("The form could not be read: \(error)") }
        var values: [String: String] = [:], files: [UploadedFile] = []
        for part in parts {
            guard let name = part.name else { continue }
            if let filename = MIMEHeaders.parameters(of: part.headers.first(name: "Content-Disposition") ?? "").parameters["filename"] {
                guard !filename.isEmpty, part.body.readableBytes > 0 else { continue }
                files.append(UploadedFile(field: name, filename: filename, contentType: part.headers.first(name: .contentType) ?? "application/octet-stream",
                                          data: Data(part.body.readableBytesView)))
            } else {
                values[name] = String(buffer: part.body)
            }
        }
        return (values, files)
    }
}
