import SdelkaCore
import Vapor

struct SurveyTemplateDTO: Content, Equatable {
    var id: UUID
    var name: String
    var description: String?
    var questions: [SurveyQuestion]
    var deletionMark: Bool
    var version: Int

    init(_ t: SurveyTemplate) throws {
        id = try t.requireID()
        name = t.name
        description = t.details
        questions = SurveyQuestions.decode(t.questions)
        deletionMark = t.deletionMark
        version = t.version
    }
}

struct SurveyTemplateInput: Content {
    var name: String?
    var description: String?
    var questions: [SurveyQuestion]?
    var version: Int?
}

/// Who is asked: the members of a segment, the participants of a marketing event, and/or
/// partners and contact persons by id.
struct SurveyRespondentsDTO: Content, Equatable {
    var segmentId: UUID?
    var eventId: UUID?
    var partnerIds: [UUID]?
    var contactPersonIds: [UUID]?

    var isEmpty: Bool { segmentId == nil && eventId == nil && (partnerIds ?? []).isEmpty && (contactPersonIds ?? []).isEmpty }
}

struct SurveyDTO: Content, Equatable {
    var id: UUID
    var name: String
    var templateId: UUID
    var from: String?
    var to: String?
    var status: Survey.Status
    var respondents: SurveyRespondentsDTO
    var deletionMark: Bool
    var version: Int

    init(_ s: Survey) throws {
        id = try s.requireID()
        name = s.name
        templateId = s.templateID
        from = s.from
        to = s.to
        status = s.status
        respondents = (try? JSONDecoder().decode(SurveyRespondentsDTO.self, from: Data(s.respondents.utf8))) ?? SurveyRespondentsDTO()
        deletionMark = s.deletionMark
        version = s.version
    }
}

struct SurveyInput: Content {
    var name: String?
    var templateId: UUID?
    var from: String?
    var to: String?
    var respondents: SurveyRespondentsDTO?
    var version: Int?
}

struct QuestionnaireDTO: Content, Equatable {
    var id: UUID
    var partnerId: UUID
    var contactPersonId: UUID?
    var status: Questionnaire.Status
    /// The absolute public address `/s/{token}`.
    var link: String
    var answeredAt: Date?
    var answers: [String: JSONValue]?
}

struct AnswersInput: Content {
    var answers: [String: JSONValue]
}

/// The questions of a template or a started survey, kept as JSON.
enum SurveyQuestions {
    static func decode(_ text: String?) -> [SurveyQuestion] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([SurveyQuestion].self, from: Data(text.utf8))) ?? []
    }

    static func encode(_ questions: [SurveyQuestion]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(questions.sorted { $0.order < $1.order })) ?? Data("[]".utf8), as: UTF8.self)
    }
}
