import Fluent
import SdelkaCore
import Vapor

/// A survey template (Шаблон анкеты): ordered questions, kept as JSON in the shape of
/// `SurveyQuestion` (ARCHITECTURE.md "Wave 2 contract").
final class SurveyTemplate: RecordModel, @unchecked Sendable {
    static let schema = "survey_templates"
    static let objectType = "surveyTemplate"

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "name") var name: String
    @OptionalField(key: "description") var details: String?
    @Field(key: "questions") var questions: String
    @Field(key: "search_text") var searchText: String

    init() {}
}

/// A survey campaign (Анкетирование): a template asked of respondents in a period; started,
/// it has one questionnaire per respondent, and it keeps the template's questions as they were.
final class Survey: RecordModel, @unchecked Sendable {
    static let schema = "surveys"
    static let objectType = "survey"

    enum Status: String, Codable, CaseIterable, Sendable { case draft, active, closed }

    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "deletion_mark") var deletionMark: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    @Field(key: "name") var name: String
    @Field(key: "template_id") var templateID: UUID
    @OptionalField(key: "from_date") var from: String?
    @OptionalField(key: "to_date") var to: String?
    @Field(key: "status") var status: Status
    @Field(key: "respondents") var respondents: String
    /// The template's questions when the survey was started.
    @OptionalField(key: "questions") var questions: String?
    @Field(key: "search_text") var searchText: String

    init() {}
}

/// One respondent's questionnaire (Анкета): a partner, or a contact person of it, reached by a
/// personal link `/s/{token}` or interviewed by a manager.
final class Questionnaire: Model, @unchecked Sendable {
    static let schema = "questionnaires"

    enum Status: String, Codable, CaseIterable, Sendable { case invited, answered }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "survey_id") var surveyID: UUID
    @Field(key: "partner_id") var partnerID: UUID
    @OptionalField(key: "contact_person_id") var contactPersonID: UUID?
    @Field(key: "token") var token: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "answers") var answers: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "answered_by") var answeredBy: UUID?
    @OptionalField(key: "interaction_id") var interactionID: UUID?

    init() {}
}
