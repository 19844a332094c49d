import Fluent
import SdelkaCore
import Vapor

/// `GET /api/v1/<resources>.csv`: the import's columns, streamed page by page (keyset on id),
/// so that memory does not grow with the number of rows. The query carries the access rule.
enum CSVExport {
    static let pageSize = 1000

    /// `page(after)` returns the next rows and the id to continue after, nil at the end.
    static func response(filename: String, header: [String],
                         page: @escaping @Sendable (UUID?) async throws -> (rows: [[String?]], last: UUID?)) -> Response {
        let response = Response(status: .ok, body: .init(managedAsyncStream: { writer in
            try await writer.writeBuffer(ByteBuffer(string: CSVWriter.line(header)))
            var after: UUID?
            repeat {
                let (rows, last) = try await page(after)
                if !rows.isEmpty { try await writer.writeBuffer(ByteBuffer(string: rows.map(CSVWriter.line).joined())) }
                after = last
            } while after != nil
        }, count: -1))
        attach(response, as: filename)
        return response
    }

    /// Marks a response as a UTF-8 CSV file to save under `filename`.
    static func attach(_ response: Response, as filename: String) {
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
    }

    /// One page of a Fluent query in id order after `after`.
    static func page<M: Model>(_ query: QueryBuilder<M>, after: UUID?) async throws -> [M] where M.IDValue == UUID {
        let page = query.copy()
        page.query.sorts = []
        if let after { page.filter(\M._$id > after) }
        return try await page.sort(\M._$id).limit(pageSize).all()
    }

    static func flag(_ value: Bool) -> String { value ? "true" : "false" }
}
