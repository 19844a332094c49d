import SdelkaCore
import Vapor

/// A catalogue item (business region, access group, …): `{"id","name","comment","deletionMark","version"}`.
struct CatalogDTO: Content, Equatable {
    var id: UUID
    var name: String
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init<M: CatalogModel>(_ model: M) throws {
        self.id = try model.requireID()
        self.name = model.name
        self.comment = model.comment
        self.deletionMark = model.deletionMark
        self.version = model.version
    }
}

struct CatalogInput: Content {
    var name: String?
    var comment: String?
    var version: Int?

    func validate(creating: Bool) -> FieldErrors {
        var errors = FieldErrors()
        if creating && name == nil { errors.add("name", "is required") }
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { errors.add("name", "must not be empty") }
            else if trimmed.count > 200 { errors.add("name", "must be at most 200 characters") }
        }
        return errors
    }

    func apply<M: CatalogModel>(to model: M) {
        if let name { model.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let comment { model.comment = comment.isEmpty ? nil : comment }
        model.searchText = SearchText.normalize(model.name, model.comment)
    }
}
