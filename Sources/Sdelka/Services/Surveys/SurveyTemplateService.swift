import Fluent
import Foundation
import SdelkaCore

/// Survey templates: their questions follow `SurveyTemplateRules`; one a started survey uses
/// may gain questions and wording but not lose or retype any (make a new template instead).
struct SurveyTemplateService: RecordService {
    static let noun = "survey template"

    let db: any Database
    let author: ChangeAuthor

    init(_ context: ServiceContext) {
        db = context.db
        author = context.author
    }

    func list(q: String?, includeDeleted: Bool) -> QueryBuilder<SurveyTemplate> {
        let query = SurveyTemplate.query(on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        return query.sort(\.$name).sort(\.$id)
    }

    func visible(_ id: UUID) async throws -> SurveyTemplate? { try await SurveyTemplate.find(id, on: db) }

    func dto(_ template: SurveyTemplate) async throws -> SurveyTemplateDTO { try SurveyTemplateDTO(template) }

    func create(_ input: SurveyTemplateInput) async throws -> SurveyTemplate {
        var errors = FieldErrors()
        if input.name.cleaned == nil { errors.add("name", "is required") }
        if let questions = input.questions { errors.merge(SurveyTemplateRules.validate(questions)) } else { errors.add("questions", "is required") }
        try errors.check()
        let template = SurveyTemplate()
        template.id = TimeOrderedID.make()
        template.name = ""
        template.questions = "[]"
        apply(input, to: template)
        try await writer.create(template)
        return template
    }

    func update(_ template: SurveyTemplate, with input: SurveyTemplateInput, clearing: Set<String>) async throws {
        var errors = FieldErrors()
        if let name = input.name, name.cleaned == nil { errors.add("name", "must not be empty") }
        if let questions = input.questions {
            errors.merge(SurveyTemplateRules.validate(questions))
            if errors.isEmpty { try await checkInUse(template, keeping: questions) }
        }
        try errors.check()
        let before = try SurveyTemplateDTO(template)
        apply(input, to: template)
        if clearing.contains("description") { template.details = nil }
        try await writer.update(template, before: before, expectedVersion: input.version)
    }

    func setDeletionMark(_ template: SurveyTemplate, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(template, to: mark, expectedVersion: expectedVersion)
    }

    private var writer: RecordWriter<SurveyTemplate> {
        RecordWriter(db: db, author: author) { try SurveyTemplateDTO($0) }
    }

    private func apply(_ input: SurveyTemplateInput, to t: SurveyTemplate) {
        if let name = input.name.cleaned { t.name = name }
        if let text = input.description { t.details = text.cleaned }
        if let questions = input.questions { t.questions = SurveyQuestions.encode(questions) }
        t.searchText = SearchText.normalize(t.name, t.details)
    }

    /// A template in use keeps every question it had, of the same kind and answer type.
    private func checkInUse(_ template: SurveyTemplate, keeping questions: [SurveyQuestion]) async throws {
        let started = try await Survey.query(on: db).filter(\.$templateID == template.requireID())
            .filter(\.$status != .draft).count()
        guard started > 0 else { return }
        let new = Dictionary(questions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for old in SurveyQuestions.decode(template.questions) {
            guard let kept = new[old.id], kept.kind == old.kind, kept.answerType == old.answerType else {
                throw RuleConflict("template_in_use", "A started survey uses this template: questions may be added or reworded, "
                                   + "not removed or retyped (question \(old.id)). Make a new template instead.")
            }
        }
    }
}
