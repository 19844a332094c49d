/// A deal of a sales regulation may not leave its stage forward while required checklist
/// actions are open (DOMAIN.md §4); the API answers 409 `checklist_incomplete`, a page names
/// the actions.
struct ChecklistBlocked: Error, Sendable {
    var actions: [String]
}
