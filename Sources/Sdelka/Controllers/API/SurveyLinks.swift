import Fluent
import SdelkaCore
import Vapor

/// The survey's personal links as CSV — respondent, contact person, e-mail, phone, status,
/// link — to send through another tool.
enum SurveyLinks {
    static func csv(_ survey: Survey, context: ServiceContext, base: String) async throws -> Response {
        let recipients = try await SurveyInvitations(context: context).recipients(survey, onlyUnanswered: false)
        let partners = try await Partner.names(of: recipients.map(\.questionnaire.partnerID), scope: context.scope, on: context.db)
        let people = try await ContactPerson.query(on: context.db).filter(\.$id ~~ recipients.compactMap(\.questionnaire.contactPersonID)).all()
            .reduce(into: [UUID: String]()) { $0[try $1.requireID()] = $1.name }
        var text = CSVWriter.line(["partner", "contactPerson", "email", "phone", "status", "link"])
        for r in recipients {
            let q = r.questionnaire
            text += CSVWriter.line([partners[q.partnerID] ?? "", q.contactPersonID.flatMap { people[$0] } ?? "", r.email, r.phone,
                                    q.status.rawValue, base + "/s/" + q.token])
        }
        let response = Response(status: .ok, body: .init(string: text))
        CSVExport.attach(response, as: "survey-links.csv")
        return response
    }
}
