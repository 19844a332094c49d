import Fluent
import SdelkaCore
import Vapor

/// A survey's results: the response rate, then per question the options as bars with counts and
/// shares, the figures of numbers and scales (NPS for a 0–10 scale), up to 50 free-text
/// answers; a table per cell. The same filters as the API.
enum SurveyResultsPage {
    struct Line: Encodable, Sendable {
        var label: String
        var answers: Int
        var bars: [ReportCharts.Bar]
        var chartHeight: Int
        var figures: [PartnerPages.Labeled]
        var texts: [String]
    }

    struct Question: Encodable, Sendable { var number: Int; var text: String; var answers: Int; var lines: [Line] }

    struct Body: Encodable, Sendable {
        var title: String
        var back: String
        var invited: Int
        var answered: Int
        var rate: String
        var segments: [FormOption]
        var managers: [FormOption]
        var questions: [Question]
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let (survey, service) = try await req.record(SurveyService.self)
        let filter = try SurveyReport.filter(req)
        let report = try await SurveyReport.make(survey, filter, context: service.context)
        let t = req.application.localizer.strings(WebPage.language(req))
        func number(_ value: Decimal) -> String { "\(value)".replacingOccurrences(of: ".", with: ",") }
        func line(_ label: String, answers: Int, options: [SurveyStatistics.OptionShare]?, mean: Decimal?, median: Decimal?,
                  min: Decimal?, max: Decimal?, nps: Decimal?, texts: [String]?) -> Line {
            let shown = (options ?? []).map { o in
                (o.value == "true" ? t["yes"] ?? o.value : o.value == "false" ? t["no"] ?? o.value : o.value, o.count, "\(o.count) · \(RussianFormat.percent(o.share))")
            }
            var figures: [PartnerPages.Labeled] = []
            if let mean { figures.append(.init(label: t["survey_mean"] ?? "", value: number(mean))) }
            if let median { figures.append(.init(label: t["survey_median"] ?? "", value: number(median))) }
            if let min, let max { figures.append(.init(label: t["survey_range"] ?? "", value: "\(number(min)) – \(number(max))")) }
            if let nps { figures.append(.init(label: "NPS", value: (nps > 0 ? "+" : "") + number(nps))) }
            let bars = ReportCharts.bars(shown)
            return Line(label: label, answers: answers, bars: bars, chartHeight: Swift.max(bars.count, 1) * ReportCharts.barsRow,
                        figures: figures, texts: texts ?? [])
        }
        let questions = report.questions.enumerated().map { index, q in
            var lines: [Line] = []
            if let cells = q.cells {
                lines = cells.map { c in
                    line(c.cell.replacingOccurrences(of: "\u{1F}", with: " · "), answers: c.answers, options: c.options, mean: c.mean,
                         median: c.median, min: c.min, max: c.max, nps: c.nps, texts: c.texts)
                }
            } else {
                lines = [line("", answers: q.answers, options: q.options, mean: q.mean, median: q.median, min: q.min, max: q.max, nps: q.nps, texts: q.texts)]
            }
            return Question(number: index + 1, text: q.text, answers: q.answers, lines: lines)
        }
        let names = try await ReferenceNames.load(req)
        let any = t["filter_any"] ?? "—"
        let body = Body(title: survey.name, back: Site.surveys.path(try survey.requireID()), invited: report.invited, answered: report.answered,
                        rate: RussianFormat.percent(report.responseRate),
                        segments: ReferenceNames.options(names.segments, selected: filter.segmentID, blank: any),
                        managers: ReferenceNames.options(names.users, selected: filter.managerID, blank: any), questions: questions)
        return try await WebPage.render("survey-results", titleKey: "survey_results", page: body, for: req)
    }
}
