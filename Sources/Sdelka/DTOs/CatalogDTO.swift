import SdelkaCore
import Vapor

/// A catalogue item (business region, access group, …): `{"id","name","comment","deletionMark","version"}`.
struct CatalogDTO: Content, Equatable {
    var id: UUID
    var name: String
    /// Only for catalogues whose items name two directions (partner link kinds).
    var reverseName: String?
    var comment: String?
    var deletionMark: Bool
    var version: Int

    init<M: CatalogModel>(_ model: M) throws {
        self.id = try model.requireID()
        self.name = model.name
        self.reverseName = model.reverseName
        self.comment = model.comment
        self.deletionMark = model.deletionMark
        self.version = model.version
    }
}

struct CatalogInput: Content {
    var name: String?
    var reverseName: String?
    var comment: String?
    var version: Int?

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
        model.searchText = SearchText.normalize(model.name, model.reverseName, model.comment)
    }
}
