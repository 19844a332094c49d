import Fluent
import SdelkaCore
import Vapor

/// `POST /api/v1/import/<kind>` with a `text/csv` body, streamed: memory does not grow with
/// the file. All or nothing unless `?partial=true`. The body is spooled to a temporary file
/// before the import takes the database's write turn: read straight from the network, a client
/// that stalled halfway held every writer of every user until it gave up.
enum ImportController {
    static func register(on routes: any RoutesBuilder) {
        routes.on(.POST, "import", ":kind", body: .stream, use: run)
    }

    @Sendable static func run(req: Request) async throws -> Response {
        let user = try req.require(.editRecords)
        guard let kind = req.parameters.get("kind"), Importers.kinds.contains(kind) else { throw APIError.notFound("import kind") }
        let limit = req.application.sdelka.importMaxBytes
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > limit { throw tooLarge(limit) }
        let io = NonBlockingFileIO(threadPool: req.application.threadPool)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sdelka-import-\(UUID().uuidString).csv").path
        let file = try await io.openFile(_deprecatedPath: path, mode: [.read, .write], flags: .allowFileCreation(posixMode: 0o600),
                                         eventLoop: req.eventLoop).get()
        defer {
            try? file.close()
            try? FileManager.default.removeItem(atPath: path)
        }
        var received = 0
        for try await buffer in req.body {
            received += buffer.readableBytes
            if received > limit { throw tooLarge(limit) }
            try await io.write(fileHandle: file, buffer: buffer)
        }
        let size = received
        let outcome = try await Importers.perform(kind, partial: req.flag("partial"), by: user, context: req.serviceContext()) { importer in
            var offset = 0
            while offset < size {
                let chunk = try await io.read(fileHandle: file, fromOffset: Int64(offset), byteCount: min(1 << 20, size - offset),
                                              allocator: req.byteBufferAllocator)
                guard chunk.readableBytes > 0 else { break }
                offset += chunk.readableBytes
                try await importer.feed(chunk.readableBytesView)
            }
        }
        return try await outcome.report.encodeResponse(status: outcome.rejected ? .unprocessableEntity : .ok, for: req)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .payloadTooLarge, code: "payload_too_large",
                 message: "The file is larger than \(limit) bytes (SDELKA_IMPORT_MAX_BYTES); import it with `sdelka import` instead.")
    }
}
