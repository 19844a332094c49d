import Fluent
import Foundation
import SdelkaCore

/// A simple catalogue (business regions, access groups, loss reasons, …): a name, a comment,
/// for link kinds a reverse name, for product groups a parent.
struct CatalogService<M: CatalogModel>: RecordService {
    static var noun: String { "object" }
    static var editPermission: Permission { M.editPermission }

    let db: any Database
    let author: ChangeAuthor

    init(_ context: ServiceContext) {
        db = context.db
        author = context.author
    }

    /// By name; `q` searches, `parent` keeps one parent's children (product groups).
    func list(q: String?, includeDeleted: Bool, parent: UUID? = nil) -> QueryBuilder<M> {
        let query = M.query(on: db)
        // Key paths cannot reach a generic model's fields through the protocol; column keys can.
        if !includeDeleted { query.filter("deletion_mark", .equal, false) }
        if let q { query.filter("search_text", .contains(inverse: false, .anywhere), SearchText.normalize(q)) }
        if M.hasParent, let parent { query.filter("parent_id", .equal, parent) }
        return query.sort("name")
    }

    func visible(_ id: UUID) async throws -> M? {
        try await M.find(id, on: db)
    }

    func dto(_ model: M) async throws -> CatalogDTO { try CatalogDTO(model) }

    func create(_ input: CatalogInput) async throws -> M {
        var errors = input.validate(creating: true, for: M.self)
        errors.merge(try await input.checkParent(of: nil as M?, on: db))
        try errors.check()
        let model = M()
        input.apply(to: model)
        try await writer.create(model)
        return model
    }

    func update(_ model: M, with input: CatalogInput, clearing: Set<String>) async throws {
        var errors = input.validate(creating: false, for: M.self)
        errors.merge(try await input.checkParent(of: model, on: db))
        try errors.check()
        let before = try CatalogDTO(model)
        input.apply(to: model)
        try await writer.update(model, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ model: M, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(model, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<M> {
        RecordWriter(db: db, author: author) { try CatalogDTO($0) }
    }
}
