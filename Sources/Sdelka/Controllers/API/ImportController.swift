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
        let outcome = try await perform(kind, partial: req.flag("partial"), by: user, req: req) { importer in
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

    /// One import of `kind` in its own transaction, for the API and the web page alike;
    /// `feed` hands the file to the importer. A rejected import comes back with its report.
    static func perform(_ kind: String, partial: Bool, by user: CurrentUser, req: Request,
                        feed: @escaping @Sendable (BatchedCSVImport) async throws -> Void) async throws -> (report: ImportReport, rejected: Bool) {
        // Products are a catalogue: the API changes them only with the right to manage catalogues.
        if kind == "products" { try req.require(.manageCatalogs) }
        let scope = try await req.accessScope()
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone)
        do {
            let report = try await Importers.run(kind, on: req.db, author: ChangeAuthor(user), scope: scope, partial: partial,
                                                 today: today, feed: feed)
            return (report, false)
        } catch let rejected as ImportRejected {
            return (rejected.report, true)
        }
    }
}
