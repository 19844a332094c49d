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
        let scope = try await req.accessScope()
        let partial = req.flag("partial")
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone)
        let report: ImportReport
        do {
            report = try await req.db.transaction { tx in
                let importer = Importers.make(kind, db: tx, author: ChangeAuthor(user), scope: scope, partial: partial, today: today)!
                return try await importer.run {
                    for try await buffer in req.body { try await importer.feed(buffer.readableBytesView) }
                }
            }
        } catch let rejected as ImportRejected {
            return try await rejected.report.encodeResponse(status: .unprocessableEntity, for: req)
        }
        return try await report.encodeResponse(status: .ok, for: req)
    }
}
