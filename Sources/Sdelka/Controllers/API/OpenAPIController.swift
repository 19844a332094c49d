import Vapor

/// Serves the OpenAPI document kept in the repository (`Resources/openapi.json`).
enum OpenAPIController {
    static func load(from resources: String) throws -> ByteBuffer {
        let path = resources + "openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Abort(.internalServerError, reason: "OpenAPI document missing at \(path)")
        }
        return ByteBuffer(data: data)
    }

    @Sendable static func document(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: req.application.openAPIDocument))
    }
}

extension Application {
    private struct OpenAPIKey: StorageKey { typealias Value = ByteBuffer }

    var openAPIDocument: ByteBuffer {
        get { storage[OpenAPIKey.self] ?? ByteBuffer() }
        set { storage[OpenAPIKey.self] = newValue }
    }
}
