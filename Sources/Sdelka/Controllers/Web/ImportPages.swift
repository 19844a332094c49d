import SdelkaCore
import Vapor

/// Import and export (Загрузка и выгрузка): a CSV file uploaded from the browser goes through
/// the same importer as `POST /api/v1/import/<kind>`, and the report is shown line by line in
/// the user's language; the exports are the API's, behind the web session.
enum ImportPages {
    /// What a browser may upload at once; larger files go through the streaming API or CLI.
    static let maxUpload: ByteCount = "64mb"

    struct Body: Encodable, Sendable {
        var kinds: [UserPages.Option]
        var partial: Bool
        var columns: [Columns]
        var result: Result?
        var error: String?
    }

    struct Columns: Encodable, Sendable {
        var label: String
        var names: String
        var export: String
    }

    struct Result: Encodable, Sendable {
        var rejected: Bool
        var message: String
        var skipped: String?
        var problems: [Problem]
    }

    struct Problem: Encodable, Sendable {
        var line: Int
        var column: String
        var message: String
    }

    struct Upload: Content {
        var kind: String?
        var partial: String?
        var file: File?
    }

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.imports.component, use: show)
        routes.on(.POST, Site.imports.component, body: .collect(maxSize: maxUpload), use: upload)
        PartyExports.register(on: routes.grouped(Site.exports.component))
        SalesExports.register(on: routes.grouped(Site.exports.component))
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try req.require(.editRecords)
        return try await render(req, body: body(req, kind: "partners", partial: false))
    }

    @Sendable static func upload(req: Request) async throws -> Response {
        let user = try req.require(.editRecords)
        let form = try req.content.decode(Upload.self)
        let kind = form.kind.flatMap { Importers.kinds.contains($0) ? $0 : nil } ?? "partners"
        let partial = form.partial != nil
        var page = body(req, kind: kind, partial: partial)
        guard let file = form.file, file.data.readableBytes > 0 else {
            page.error = WebPage.text(req, "import_no_file")
            return try await render(req, body: page, status: .unprocessableEntity)
        }
        let data = file.data
        let outcome = try await Importers.perform(kind, partial: partial, by: user, context: req.serviceContext()) { importer in
            try await importer.feed(data.readableBytesView)
        }
        page.result = result(outcome.report, rejected: outcome.rejected, req: req)
        return try await render(req, body: page, status: outcome.rejected ? .unprocessableEntity : .ok)
    }

    static func body(_ req: Request, kind: String, partial: Bool) -> Body {
        Body(kinds: Importers.kinds.map { .init(value: $0, label: WebPage.text(req, "import_kind_\($0)"), selected: $0 == kind) },
             partial: partial,
             columns: Importers.kinds.map {
                 Columns(label: WebPage.text(req, "import_kind_\($0)"), names: (Importers.columns[$0] ?? []).joined(separator: ","),
                         export: Site.exports.path + "/\($0).csv")
             })
    }

    static func result(_ report: ImportReport, rejected: Bool, req: Request) -> Result {
        let strings = req.application.localizer.strings(WebPage.language(req))
        let count = String(report.errors.count + report.droppedErrors)
        return Result(
            rejected: rejected,
            message: rejected ? WebPage.text(req, "import_rejected", ["count": count])
                : WebPage.text(req, "import_done", ["created": String(report.created), "updated": String(report.updated)]),
            skipped: !rejected && !report.errors.isEmpty ? WebPage.text(req, "import_skipped", ["count": count]) : nil,
            problems: report.errors.map { Problem(line: $0.line, column: $0.column, message: FormErrors.localize($0.message, strings)) })
    }

    static func render(_ req: Request, body: Body, status: HTTPStatus = .ok) async throws -> Response {
        try await WebPage.render("import", titleKey: "nav_import", page: body, for: req, status: status)
    }
}
