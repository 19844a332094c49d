import Fluent
import SQLKit
import Vapor

enum PurgeController {
    static func register(on routes: any RoutesBuilder) {
        routes.get("purge", use: preview)
        routes.post("purge", use: run)
    }

    @Sendable static func preview(req: Request) async throws -> Purge.Report {
        try req.require(.purge)
        return try await Purge.preview(on: req.db)
    }

    @Sendable static func run(req: Request) async throws -> Purge.Report {
        let user = try req.require(.purge)
        return try await Purge.run(by: ChangeAuthor(user), on: req.db)
    }
}
