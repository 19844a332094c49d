import Fluent
import Foundation
import SdelkaCore

/// Sending the personal links: to each respondent not yet answered, by e-mail or SMS through the
/// outbox, every message an interaction of the partner with the survey as its subject.
struct SurveyInvitations: Sendable {
    let context: ServiceContext

    enum Channel: String, Codable, CaseIterable, Sendable { case email, sms }

    struct Recipient: Sendable {
        var questionnaire: Questionnaire
        var email: String?
        var phone: String?
    }

    struct Result: Codable, Sendable, Equatable {
        var sent: Int
        /// Respondents with no address for the channel.
        var skipped: Int
    }

    /// The survey's questionnaires the user may see, with the first e-mail and phone of the
    /// contact person (else of the partner).
    func recipients(_ survey: Survey, onlyUnanswered: Bool) async throws -> [Recipient] {
        let query = QuestionnaireService(context: context).scoped(try survey.requireID())
        if onlyUnanswered { query.filter(\.$status == .invited) }
        let questionnaires = try await query.sort(\.$createdAt).sort(\.$id).all()
        let people = try await ContactStore.lists(.contactPerson, ownerIDs: questionnaires.compactMap(\.contactPersonID), on: context.db)
        let partners = try await ContactStore.lists(.partner, ownerIDs: questionnaires.map(\.partnerID), on: context.db)
        return questionnaires.map { q in
            let own = q.contactPersonID.flatMap { people[$0] } ?? []
            let theirs = partners[q.partnerID] ?? []
            func first(_ type: ContactDetail.DetailType) -> String? {
                (own.first { $0.type == type } ?? theirs.first { $0.type == type })?.value
            }
            return Recipient(questionnaire: q, email: first(.email), phone: first(.phone))
        }
    }

    func send(_ survey: Survey, channel: Channel, base: String) async throws -> Result {
        guard survey.status == .active else { throw RuleConflict("survey_not_active", "Links are sent while the survey is active.") }
        let interactions = InteractionService(context)
        var result = Result(sent: 0, skipped: 0)
        for recipient in try await recipients(survey, onlyUnanswered: true) {
            let link = base + "/s/" + recipient.questionnaire.token
            var input = InteractionInput()
            input.topic = "Анкета «\(survey.name)»"
            input.subject = InteractionSubjectDTO(type: .survey, id: try survey.requireID())
            input.participants = [InteractionParticipantDTO(partnerId: recipient.questionnaire.partnerID,
                                                            contactPersonId: recipient.questionnaire.contactPersonID)]
            switch channel {
            case .email:
                guard let address = recipient.email else { result.skipped += 1; continue }
                input.type = .email
                input.status = .queued
                input.to = address
                input.bodyText = "Здравствуйте!\n\nПросим ответить на несколько вопросов: \(link)\n\nСпасибо!"
            case .sms:
                guard let phone = recipient.phone else { result.skipped += 1; continue }
                input.type = .sms
                input.text = "Ответьте, пожалуйста, на вопросы анкеты: \(link)"
                input.recipients = [SMSRecipientDTO(phone: phone)]
            }
            _ = try await interactions.create(input)
            result.sent += 1
        }
        return result
    }
}
