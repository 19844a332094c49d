import SdelkaCore
import Vapor

/// A stored file offered for download. Always as an attachment and never sniffed, so that an
/// HTML file someone mailed in cannot run as a page of ours.
enum AttachmentResponse {
    static func make(filename: String, contentType: String, data: Data) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; " + OutgoingMail.filenameParameter(filename))
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
