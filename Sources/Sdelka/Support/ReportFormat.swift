import SdelkaCore
import Vapor

/// Every report answers JSON, or CSV when the request asks for `text/csv` (ARCHITECTURE.md).
enum ReportFormat {
    struct Table: Sendable {
        var filename: String
        var header: [String]
        var rows: [[String?]]
    }

    static func wantsCSV(_ req: Request) -> Bool {
        req.headers.accept.mediaTypes.contains { $0.type == "text" && $0.subType == "csv" }
    }

    /// `csv` true answers CSV whatever was asked (the web UI's export links cannot set a header).
    static func respond<T: Content>(_ req: Request, _ report: T, csv: Bool = false, table: (T) -> Table) async throws -> Response {
        guard csv || wantsCSV(req) else { return try await report.encodeResponse(for: req) }
        let table = table(report)
        var text = CSVWriter.line(table.header)
        for row in table.rows { text += CSVWriter.line(row) }
        let response = Response(status: .ok, body: .init(string: text))
        CSVExport.attach(response, as: table.filename)
        return response
    }
}
