import Fluent
import SdelkaCore
import Vapor

/// `POST /api/v1/import/<kind>` with a `text/csv` body, streamed: memory does not grow with
/// the file. All or nothing unless `?partial=true`.
enum ImportController {
    static func register(on routes: any RoutesBuilder) {
        routes.on(.POST, "import", ":kind", body: .stream, use: run)
    }

    @Sendable static func run(req: Request) async throws -> Response {
        let user = try req.require(.editRecords)
        guard let kind = req.parameters.get("kind"), Importers.kinds.contains(kind) else { throw APIError.notFound("import kind") }
        let limit = req.application.sdelka.importMaxBytes
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > limit { throw tooLarge(limit) }
        let outcome = try await Importers.perform(kind, partial: req.flag("partial"), by: user, context: req.serviceContext()) { importer in
            var received = 0
            for try await buffer in req.body {
                received += buffer.readableBytes
                if received > limit { throw tooLarge(limit) }
                try await importer.feed(buffer.readableBytesView)
            }
        }
        return try await outcome.report.encodeResponse(status: outcome.rejected ? .unprocessableEntity : .ok, for: req)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, code: "payload_too_large",
                 message: "The file is larger than \(limit) bytes (SDELKA_IMPORT_MAX_BYTES); import it with `sdelka import` instead.")
    }
}
