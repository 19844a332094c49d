import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `/api/v1/tasks`: the open checklist actions of open deals, seen through the deals' partners.
enum TasksController {
    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped("tasks")
        group.get(use: index)
        group.post(":id", "complete", use: complete)
        group.post(":id", "reopen", use: reopen)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<DealTaskDTO> {
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(TaskQueries.query(on: req.db, scope: try await req.accessScope(), try TaskQueries.filter(from: req)))
        return PageDTO(items: try await TaskQueries.dtos(rows, on: req.db), total: total, page: page.page, per: page.per)
    }

    @Sendable static func complete(req: Request) async throws -> DealTaskDTO {
        try req.require(.editRecords)
        return try await TaskService(context: req.serviceContext()).mark(req.idParameter(), done: true)
    }

    @Sendable static func reopen(req: Request) async throws -> DealTaskDTO {
        try req.require(.editRecords)
        return try await TaskService(context: req.serviceContext()).mark(req.idParameter(), done: false)
    }
}
