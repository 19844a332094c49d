import SdelkaCore
import Vapor

struct ChecklistActionDTO: Content, Equatable {
    var id: UUID?
    var text: String
    var required: Bool
    var dueDays: Int?
}

struct DealStageDTO: Content, Equatable {
    var id: UUID?
    var name: String
    /// From 1; on input the position in the list decides it.
    var order: Int?
    var checklist: [ChecklistActionDTO]?
}

/// A deal kind carries its stages inline, ordered by `order` from 1 (ARCHITECTURE.md).
struct DealKindDTO: Content, Equatable {
    var id: UUID
    var name: String
    var type: DealKind.KindType
    var useDemand: Bool
    var allowed: Bool
    var comment: String?
    var stages: [DealStageDTO]
    var deletionMark: Bool
    var version: Int
}

struct DealKindInput: Content {
    var name: String?
    var type: String?
    var useDemand: Bool?
    var allowed: Bool?
    var comment: String?
    var stages: [DealStageDTO]?
    var version: Int?

    /// The checks that need no database, against the type the kind will have.
    func validate(current: DealKind?) -> FieldErrors {
        var errors = FieldErrors()
        if current == nil && name.cleaned == nil { errors.add("name", "is required") }
        else if let name, name.cleaned == nil { errors.add("name", "must not be empty") }
        if let name, name.count > 200 { errors.add("name", "must be at most 200 characters") }
        var kindType = current?.type
        if let raw = type {
            kindType = DealKind.KindType(rawValue: raw)
            if kindType == nil { errors.add("type", "must be one of: free, manual, process") }
        } else if current == nil {
            errors.add("type", "is required")
        }
        guard let kindType else { return errors }
        if let stages {
            if kindType == .free && !stages.isEmpty { errors.add("stages", "a free kind has no stages") }
            var names = Set<String>()
            for (index, stage) in stages.enumerated() {
                guard let name = stage.name.cleaned else { errors.add("stages.\(index).name", "is required"); continue }
                if !names.insert(SearchText.normalize(name)).inserted { errors.add("stages.\(index).name", "is already the name of another stage") }
                let checklist = stage.checklist ?? []
                if kindType != .process && !checklist.isEmpty { errors.add("stages.\(index).checklist", "only a process kind has checklists") }
                for (line, action) in checklist.enumerated() {
                    if action.text.cleaned == nil { errors.add("stages.\(index).checklist.\(line).text", "is required") }
                    if let days = action.dueDays, days < 0 || days > 3650 {
                        errors.add("stages.\(index).checklist.\(line).dueDays", "must be between 0 and 3650")
                    }
                }
            }
        }
        if kindType != .free && (stages?.isEmpty ?? (current == nil || current?.type == .free)) {
            errors.add("stages", "needs at least one stage unless the kind is free")
        }
        return errors
    }
}
