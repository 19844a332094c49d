import Fluent
import Foundation
import SdelkaCore

/// Completing and reopening a deal's checklist actions (DOMAIN.md §4).
struct TaskService: Sendable {
    let context: ServiceContext

    /// Who completed a task and when is kept on it and in the deal's audit history.
    func mark(_ id: UUID, done: Bool) async throws -> DealTaskDTO {
        let db = context.db
        guard let task = try await TaskQueries.scoped(context.scope, on: db).filter(\.$id == id).first() else {
            throw NotFound("task")
        }
        guard task.done != done else { return try await TaskQueries.dtos([task], on: db)[0] }
        task.done = done
        task.doneAt = done ? Date() : nil
        task.doneBy = done ? context.author.userID : nil
        let author = context.author
        try await db.writeTransaction { tx in
            try await task.update(on: tx)
            try await Audit.record(.update, objectType: Deal.objectType, objectID: task.dealID.uuidString,
                                   changes: [FieldChange(field: "task", old: done ? nil : .string(task.text), new: done ? .string(task.text) : nil)],
                                   by: author, on: tx)
        }
        return try await TaskQueries.dtos([task], on: db)[0]
    }
}
