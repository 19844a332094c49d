import Fluent
import SdelkaCore
import Vapor

/// A demo satisfaction survey — an NPS scale, a yes/no with a conditional "why not", a table of
/// marks and a comment — started for the key clients' segment and half answered, so that the
/// survey pages and results show real-looking data.
enum DemoSurveys {
    static let questions: [SurveyQuestion] = [
        SurveyQuestion(id: "nps", order: 1, text: "Насколько вероятно, что вы порекомендуете нас коллегам?", answerType: .scale, required: true),
        SurveyQuestion(id: "satisfied", order: 2, text: "Довольны ли вы работой с нами в этом году?", answerType: .boolean, required: true),
        SurveyQuestion(id: "why", order: 3, text: "Что вас не устроило?", kind: .conditional, answerType: .severalOf, required: true,
                       options: ["Цены", "Сроки поставки", "Качество товара", "Работа менеджера"],
                       condition: .init(questionId: "satisfied", values: ["false"])),
        SurveyQuestion(id: "marks", order: 4, text: "Оцените нас от 1 до 5", kind: .table, answerType: .number, min: 1, max: 5,
                       rows: ["Доставка", "Ассортимент", "Менеджер"], columns: ["Оценка"]),
        SurveyQuestion(id: "comment", order: 5, text: "Что нам стоит улучшить?", answerType: .text),
    ]

    static func fill(_ app: Application, partners: [UUID]) async throws {
        let context = ServiceContext(db: app.db, author: .system, scope: .all, config: app.sdelka)
        let template = try await SurveyTemplateService(context).create(SurveyTemplateInput(
            name: "Удовлетворённость клиентов", description: "Ежегодный опрос с NPS", questions: questions))
        let clients = try await Partner.query(on: app.db).filter(\.$id ~~ partners).filter(\.$isClient == true).sort(\.$code).range(0..<40).all()
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        let surveys = SurveyService(context)
        let survey = try await surveys.create(SurveyInput(
            name: "Удовлетворённость \(today.year)", templateId: try template.requireID(), from: today.adding(days: -20).description,
            to: today.adding(days: 20).description, respondents: SurveyRespondentsDTO(partnerIds: try clients.map { try $0.requireID() })))
        _ = try await surveys.start(survey, expectedVersion: nil)
        let questionnaires = try await Questionnaire.query(on: app.db).filter(\.$surveyID == survey.requireID()).sort(\.$createdAt).sort(\.$id).all()
        let service = QuestionnaireService(context: context)
        let reasons = ["Цены", "Сроки поставки", "Качество товара", "Работа менеджера"]
        for (index, questionnaire) in questionnaires.enumerated() where index % 2 == 0 {
            let score = [10, 9, 8, 10, 6, 9, 7, 3, 10, 8, 9, 5, 10, 9, 8, 7, 10, 4, 9, 10][index / 2 % 20]
            var answers: [String: JSONValue] = ["nps": .number(Decimal(score)), "satisfied": .bool(score >= 7),
                                                "marks": .object(["Доставка": .object(["Оценка": .number(Decimal(3 + index % 3))]),
                                                                  "Ассортимент": .object(["Оценка": .number(Decimal(4 + index % 2))]),
                                                                  "Менеджер": .object(["Оценка": .number(5)])])]
            if score < 7 { answers["why"] = .array([.string(reasons[index % 4]), .string(reasons[(index + 1) % 4])]) }
            if index % 6 == 0 { answers["comment"] = .string(["Больше отсрочки платежа", "Доставка по субботам", "Каталог в Excel"][index / 6 % 3]) }
            try await service.submit(questionnaire, of: survey, answers: answers, interview: false)
        }
    }
}
