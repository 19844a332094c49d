import Fluent
import SdelkaCore
import Vapor

/// A catalogue item (business region, access group, …): `{"id","name","comment","deletionMark","version"}`.
struct CatalogDTO: Content, Equatable {
    var id: UUID
    var name: String
    /// Only for catalogues whose items name two directions (partner link kinds).
    var reverseName: String?
    /// Only for catalogues that form a tree (product groups).
    var parentId: UUID?
    /// Only for mailing topics: whether a recipient may unsubscribe.
    var unsubscribable: Bool?
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init<M: CatalogModel>(_ model: M) throws {
        self.id = try model.requireID()
        self.name = model.name
        self.reverseName = model.reverseName
        self.parentId = model.parentID
        self.unsubscribable = model.unsubscribable
        self.comment = model.comment
        self.deletionMark = model.deletionMark
        self.version = model.version
    }
}

struct CatalogInput: Content {
    var name: String?
    var reverseName: String?
    var parentId: UUID?
    /// `parentId` sent as `null` or empty (a form's blank choice): the item goes to the top.
    var clearsParent = false
    var unsubscribable: Bool?
    var comment: String?
    var version: Int?

    init(name: String? = nil, reverseName: String? = nil, parentId: UUID? = nil, comment: String? = nil, version: Int? = nil) {
        self.name = name
        self.reverseName = reverseName
        self.parentId = parentId
        self.comment = comment
        self.version = version
    }

    enum CodingKeys: String, CodingKey { case name, reverseName, parentId, unsubscribable, comment, version }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        reverseName = try container.decodeIfPresent(String.self, forKey: .reverseName)
        comment = try container.decodeIfPresent(String.self, forKey: .comment)
        unsubscribable = try container.decodeIfPresent(Bool.self, forKey: .unsubscribable)
        version = try container.decodeIfPresent(Int.self, forKey: .version)
        if container.contains(.parentId) {
            if try container.decodeNil(forKey: .parentId) { clearsParent = true }
            else {
                let text = try container.decode(String.self, forKey: .parentId)
                if text.isEmpty { clearsParent = true }
                else if let id = UUID(uuidString: text) { parentId = id }
                else { throw DecodingError.dataCorruptedError(forKey: .parentId, in: container, debugDescription: "is not a UUID") }
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(reverseName, forKey: .reverseName)
        try container.encodeIfPresent(parentId, forKey: .parentId)
        try container.encodeIfPresent(unsubscribable, forKey: .unsubscribable)
        try container.encodeIfPresent(comment, forKey: .comment)
        try container.encodeIfPresent(version, forKey: .version)
    }

    func validate<M: CatalogModel>(creating: Bool, for _: M.Type) -> FieldErrors {
        var errors = FieldErrors()
        if creating && name == nil { errors.add("name", "is required") }
        Self.checkName(name, field: "name", into: &errors)
        if M.hasReverseName {
            if creating && reverseName == nil { errors.add("reverseName", "is required") }
            Self.checkName(reverseName, field: "reverseName", into: &errors)
        }
        return errors
    }

    private static func checkName(_ name: String?, field: String, into errors: inout FieldErrors) {
        guard let name else { return }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { errors.add(field, "must not be empty") }
        else if trimmed.count > 200 { errors.add(field, "must be at most 200 characters") }
    }

    func apply<M: CatalogModel>(to model: M) {
        if let name { model.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if M.hasReverseName, let reverseName { model.reverseName = reverseName.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let comment { model.comment = comment.isEmpty ? nil : comment }
        if M.hasParent, let parentId { model.parentID = parentId }
        if M.hasParent, clearsParent { model.parentID = nil }
        if M.hasUnsubscribable { model.unsubscribable = unsubscribable ?? model.unsubscribable ?? true }
        model.searchText = SearchText.normalize(model.name, model.reverseName, model.comment)
    }
}

extension CatalogInput {
    /// A tree's parent must exist and must not be the item itself or one of its descendants.
    func checkParent<M: CatalogModel>(of model: M?, on db: any Database) async throws -> FieldErrors {
        var errors = FieldErrors()
        guard M.hasParent, let parentId else { return errors }
        var cursor: UUID? = parentId
        var steps = 0
        while let id = cursor {
            if id == model?.id { errors.add("parentId", "would put the group inside itself"); break }
            guard let parent = try await M.find(id, on: db) else {
                if id == parentId { errors.add("parentId", "names a group that does not exist") }
                break
            }
            cursor = parent.parentID
            steps += 1
            if steps > 100 { break }
        }
        return errors
    }
}
