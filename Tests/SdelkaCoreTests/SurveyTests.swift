import Foundation
import Testing
@testable import SdelkaCore

@Suite struct SurveyTests {
    /// A satisfaction survey: would you recommend us (0–10); were you satisfied (yes/no); if not,
    /// why (asked only then, and then required); delivery by month (table); contact (complex).
    static let questions: [SurveyQuestion] = [
        SurveyQuestion(id: "nps", order: 1, text: "Порекомендуете нас?", answerType: .scale, required: true),
        SurveyQuestion(id: "ok", order: 2, text: "Довольны?", answerType: .boolean, required: true),
        SurveyQuestion(id: "why", order: 3, text: "Почему нет?", kind: .conditional, answerType: .severalOf, required: true,
                       options: ["Цена", "Сроки", "Качество"], condition: .init(questionId: "ok", values: ["false"])),
        SurveyQuestion(id: "grid", order: 4, text: "Оценки по кварталам", kind: .table, answerType: .number, required: true,
                       min: 1, max: 5, rows: ["Доставка", "Качество"], columns: ["Q1", "Q2"]),
        SurveyQuestion(id: "who", order: 5, text: "Кто отвечал", kind: .complex, answerType: .string, parts: [
            SurveyQuestion(id: "name", order: 1, text: "Имя", answerType: .string, required: true),
            SurveyQuestion(id: "phone", order: 2, text: "Телефон", answerType: .string)]),
    ]

    static let grid: JSONValue = .object(["Доставка": .object(["Q1": .number(4), "Q2": .string("5")]),
                                          "Качество": .object(["Q1": .number(3), "Q2": .number(2)])])

    @Test func theTemplateIsValidAndItsMistakesAreNamed() {
        #expect(SurveyTemplateRules.validate(Self.questions).isEmpty)
        var broken = Self.questions
        broken[2].condition = .init(questionId: "grid", values: ["x"])
        broken[3].columns = []
        broken[1].options = ["да"]
        let errors = SurveyTemplateRules.validate(broken).fields
        #expect(errors["questions.2.condition.questionId"] == "must name an earlier question")
        #expect(errors["questions.3.columns"] == "must list at least one column")
        #expect(errors["questions.1.options"] == "are only for oneOf and severalOf")
    }

    @Test func aConditionalQuestionIsNotAskedWhenItsConditionFails() {
        let (kept, errors) = SurveyAnswers.check(["nps": .number(9), "ok": .string("true"), "why": .array([.string("Цена")]),
                                                  "grid": Self.grid, "who": .object(["name": .string("Анна")])], questions: Self.questions)
        #expect(errors.isEmpty, "\(errors.fields)")
        #expect(kept["why"] == nil, "the answer to a question not asked is dropped")
        #expect(kept["ok"] == .bool(true))
    }

    @Test func aConditionalQuestionIsRequiredWhenItsConditionHolds() {
        let missing = SurveyAnswers.check(["nps": .number(3), "ok": .bool(false), "grid": Self.grid, "who": .object(["name": .string("А")])],
                                          questions: Self.questions)
        #expect(missing.errors.fields == ["answers.why": "is required"])
        let given = SurveyAnswers.check(["nps": .number(3), "ok": .bool(false), "why": .array([.string("Качество"), .string("Цена")]),
                                         "grid": Self.grid, "who": .object(["name": .string("А")])], questions: Self.questions)
        #expect(given.errors.isEmpty)
        #expect(given.answers["why"] == .array([.string("Цена"), .string("Качество")]), "kept in the options' order")
    }

    @Test func aTableIsCheckedAndKeptCellByCell() {
        var grid = Self.grid
        grid = .object(["Доставка": .object(["Q1": .number(9), "Q3": .number(1)]), "Склад": .object([:])])
        let errors = SurveyAnswers.check(["nps": .number(10), "ok": .bool(true), "grid": grid, "who": .object(["name": .string("А")])],
                                         questions: Self.questions).errors.fields
        #expect(errors["answers.grid.Доставка.Q1"] == "must be at most 5")
        #expect(errors["answers.grid.Доставка.Q3"] == "names no column of the table")
        #expect(errors["answers.grid.Склад"] == "names no row of the table")
        #expect(errors["answers.grid.Качество.Q2"] == "is required", "a required table wants every cell")
        let good = SurveyAnswers.check(["nps": .number(10), "ok": .bool(true), "grid": Self.grid, "who": .object(["name": .string("А")])],
                                       questions: Self.questions)
        #expect(good.answers["grid"] == .object(["Доставка": .object(["Q1": .number(4), "Q2": .number(5)]),
                                                 "Качество": .object(["Q1": .number(3), "Q2": .number(2)])]), "form text typed as numbers")
    }

    @Test func answersOfTheWrongTypeAreNamed() {
        let errors = SurveyAnswers.check(["nps": .number(11), "ok": .string("может быть"), "grid": Self.grid, "who": .string("Анна"),
                                          "extra": .string("x")], questions: Self.questions).errors.fields
        #expect(errors["answers.nps"] == "must be a whole number from 0 to 10")
        #expect(errors["answers.ok"] == "must be yes or no")
        #expect(errors["answers.who"] == "must be an object of parts")
        #expect(errors["answers.extra"] == "names no question of this survey")
    }

    /// 10 answers: 4 promoters (9, 9, 10, 10), 3 passives (7, 8, 8), 3 detractors (0, 5, 6):
    /// 40 % − 30 % = +10. Mean 72 / 10 = 7.2; the middle two (8 and 8) give the median 8.
    @Test func npsAndTheMedianOnAWorkedExample() {
        let histogram: [(value: Decimal, count: Int)] = [(0, 1), (5, 1), (6, 1), (7, 1), (8, 2), (9, 2), (10, 2)]
        #expect(SurveyStatistics.nps(histogram) == 10)
        let numbers = SurveyStatistics.numbers(histogram)
        #expect(numbers?.count == 10 && numbers?.mean == Decimal(string: "7.2") && numbers?.median == 8)
        #expect(numbers?.min == 0 && numbers?.max == 10)
        #expect(SurveyStatistics.numbers([(1, 1), (2, 1), (10, 1)])?.median == 2, "odd count: the middle one")
        #expect(SurveyStatistics.nps([(3, 2)]) == -100)
        #expect(SurveyStatistics.nps([]) == nil)
    }

    @Test func optionSharesCountEveryOptionInOrder() {
        let shares = SurveyStatistics.options(["Сроки": 3, "Цена": 1], order: ["Цена", "Сроки", "Качество"], answered: 3)
        #expect(shares.map(\.value) == ["Цена", "Сроки", "Качество"])
        #expect(shares.map(\.count) == [1, 3, 0])
        #expect(shares.map(\.share) == [Decimal(string: "33.33"), 100, 0])
    }
}
