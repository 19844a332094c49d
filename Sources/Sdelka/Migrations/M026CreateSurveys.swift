import Fluent
import SQLKit

/// Surveys (DOMAIN.md §7): templates, campaigns, questionnaires with their personal links, and
/// the answers one row per question (and table cell or complex part) for set-based results.
struct M026CreateSurveys: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("survey_templates")
            .recordFields()
            .field("name", .string, .required)
            .field("description", .string)
            .field("questions", .string, .required)
            .field("search_text", .string, .required)
            .create()
        try await database.schema("surveys")
            .recordFields()
            .field("name", .string, .required)
            .field("template_id", .uuid, .required, .references("survey_templates", "id"))
            .field("from_date", .string)
            .field("to_date", .string)
            .field("status", .string, .required)
            .field("respondents", .string, .required)
            .field("questions", .string)
            .field("search_text", .string, .required)
            .create()
        try await database.createIndex("surveys_template", on: "surveys", "template_id")
        try await database.createIndex("surveys_status", on: "surveys", "deletion_mark", "status")
        try await database.schema("questionnaires")
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("survey_id", .uuid, .required, .references("surveys", "id", onDelete: .cascade))
            .field("partner_id", .uuid, .required, .references("partners", "id"))
            .field("contact_person_id", .uuid, .references("contact_persons", "id"))
            .field("token", .string, .required)
            .field("status", .string, .required)
            .field("answers", .string)
            .field("answered_at", .datetime)
            .field("answered_by", .uuid, .references("users", "id"))
            .field("interaction_id", .uuid, .references("interactions", "id"))
            .unique(on: "token")
            .create()
        try await database.createIndex("questionnaires_survey", on: "questionnaires", "survey_id", "status")
        try await database.createIndex("questionnaires_partner", on: "questionnaires", "partner_id")
        try await database.sql.raw("""
            CREATE TABLE survey_answers (
                questionnaire_id UUID NOT NULL REFERENCES questionnaires (id) ON DELETE CASCADE,
                survey_id UUID NOT NULL,
                question_id TEXT NOT NULL,
                cell TEXT NOT NULL,
                value_text TEXT,
                value_number DOUBLE PRECISION
            )
            """).run()
        // Results group one question's answers; a questionnaire's are rewritten by its id.
        try await database.createIndex("survey_answers_question", on: "survey_answers", "survey_id", "question_id", "cell", "value_text")
        try await database.createIndex("survey_answers_number", on: "survey_answers", "survey_id", "question_id", "cell", "value_number")
        try await database.createIndex("survey_answers_questionnaire", on: "survey_answers", "questionnaire_id")
        // The answers counted per question, cell and value (and `answered` per question and
        // cell), kept with every submission: unfiltered results read these few rows instead of
        // grouping millions.
        try await database.sql.raw("""
            CREATE TABLE survey_answer_counts (
                survey_id UUID NOT NULL,
                question_id TEXT NOT NULL,
                cell TEXT NOT NULL,
                value_key TEXT NOT NULL,
                value_text TEXT,
                value_number DOUBLE PRECISION,
                n BIGINT NOT NULL,
                PRIMARY KEY (survey_id, question_id, cell, value_key)
            )
            """).run()
    }

    func revert(on database: Database) async throws {
        try await database.sql.raw("DROP TABLE survey_answer_counts").run()
        try await database.sql.raw("DROP TABLE survey_answers").run()
        try await database.schema("questionnaires").delete()
        try await database.schema("surveys").delete()
        try await database.schema("survey_templates").delete()
    }
}
