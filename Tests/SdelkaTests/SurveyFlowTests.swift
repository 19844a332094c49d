import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Surveys end to end (DOMAIN.md §7): a template, a campaign started for partners, answers
/// through the personal link and in an interview, the results.
@Suite struct SurveyFlowTests {
    static let questions: [[String: any Encodable & Sendable]] = [
        ["id": "nps", "order": 1, "text": "Порекомендуете нас?", "kind": "simple", "answerType": "scale", "required": true],
        ["id": "ok", "order": 2, "text": "Всё устроило?", "kind": "simple", "answerType": "boolean", "required": true],
        ["id": "why", "order": 3, "text": "Что не так?", "kind": "conditional", "answerType": "oneOf", "required": true,
         "options": ["Цена", "Сроки"], "condition": JSONObject(["questionId": "ok", "values": ["false"]])],
        ["id": "grid", "order": 4, "text": "Оценки", "kind": "table", "answerType": "number", "min": 1, "max": 5,
         "rows": ["Доставка", "Качество"], "columns": ["Q1", "Q2"]],
    ]

    struct World { var admin: API; var survey: String; var partners: [UUID]; var links: [String: String] }

    /// Ten partners asked; `groups` puts the first five in one access group and the rest in another.
    static func world(_ app: Application, groups: (String, String)? = nil) async throws -> World {
        let admin = try await API.admin(app)
        var partners: [UUID] = []
        for index in 0..<10 { partners.append(try await admin.partner("Респондент \(index)", group: index < 5 ? groups?.0 : groups?.1)) }
        let template = try await admin.send(.POST, "/api/v1/survey-templates", json: JSONObject(["name": "Удовлетворённость",
            "questions": questions.map(JSONObject.init)]))
        #expect(template.status == .created, "template: \(template.text)")
        let templateID = try template.json()["id"] as! String
        let survey = try await admin.send(.POST, "/api/v1/surveys", json: JSONObject(["name": "Осень", "templateId": templateID,
            "respondents": JSONObject(["partnerIds": partners.map(\.uuidString)])]))
        #expect(survey.status == .created, "\(survey.text)")
        let id = try survey.json()["id"] as! String
        let started = try await admin.post("/api/v1/surveys/\(id)/start")
        let count = try started.json()["questionnaires"] as? Int
        #expect(started.status == .ok && count == 10, "\(started.text)")
        let items = try await admin.get("/api/v1/surveys/\(id)/questionnaires?per=50").json()["items"] as? [[String: Any]] ?? []
        let links = items.reduce(into: [String: String]()) { $0[$1["partnerId"] as? String ?? ""] = $1["link"] as? String }
        return World(admin: admin, survey: id, partners: partners, links: links)
    }

    static func token(_ link: String?) -> String { String((link ?? "").split(separator: "/").last ?? "") }

    static func answer(_ app: Application, _ link: String?, _ answers: [String: any Encodable & Sendable]) async throws -> API.Reply {
        try await API(app: app, token: nil).send(.POST, "/s/\(token(link))", json: JSONObject(["answers": JSONObject(answers)]))
    }

    static let grid = JSONObject(["Доставка": JSONObject(["Q1": 4, "Q2": 5]), "Качество": JSONObject(["Q1": 3, "Q2": 2])])

    @Test(arguments: TestDB.all)
    func answersThroughTheLinkAreCheckedCorrectedAndReported(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.world(app)
            let link = w.links[w.partners[0].uuidString]
            #expect(link?.hasPrefix("http://") == true && Self.token(link).count >= 22, "a link of 128 bits and more: \(link ?? "")")
            // "ok" = true: "why" is not asked, so not required; its answer is dropped.
            #expect(try await Self.answer(app, link, ["nps": 9, "ok": true, "why": "Цена", "grid": Self.grid]).status == .noContent)
            // "ok" = false: "why" is asked and required.
            let missing = try await Self.answer(app, w.links[w.partners[1].uuidString], ["nps": 3, "ok": false])
            #expect(missing.status == .unprocessableEntity && missing.errorFields["answers.why"] == "is required", "\(missing.text)")
            // NPS on ten answers: 9, 9, 10, 10 promote, 7, 8, 8 are passive, 0, 5, 6 detract: 40 % − 30 % = +10.
            let scores = [9, 9, 10, 10, 7, 8, 8, 0, 5, 6]
            for (index, score) in scores.enumerated() {
                let reply = try await Self.answer(app, w.links[w.partners[index].uuidString],
                                                  score < 7 ? ["nps": score, "ok": false, "why": "Сроки"] : ["nps": score, "ok": true, "grid": Self.grid])
                #expect(reply.status == .noContent, "\(reply.text)")
            }
            // A second submission corrects the first: partner 0 answered 9 twice, counted once.
            #expect(try await Self.answer(app, link, ["nps": 9, "ok": true, "grid": Self.grid]).status == .noContent)
            let report = try await w.admin.get("/api/v1/reports/surveys/\(w.survey)")
            #expect(report.status == .ok, "\(report.text)")
            let r = try report.decode(SurveyReport.self)
            #expect(r.invited == 10 && r.answered == 10 && r.responseRate == 100)
            let nps = try #require(r.questions.first { $0.questionId == "nps" })
            #expect(nps.answers == 10 && nps.nps == 10 && nps.mean == dec("7.2") && nps.median == 8 && nps.min == 0 && nps.max == 10)
            let why = try #require(r.questions.first { $0.questionId == "why" })
            #expect(why.answers == 3 && why.options?.map(\.count) == [0, 3], "only those who were asked")
            // The table, cell by cell: seven answered it with 4/5/3/2.
            let grid = try #require(r.questions.first { $0.questionId == "grid" }?.cells)
            #expect(grid.map(\.cell) == ["Доставка\u{1F}Q1", "Доставка\u{1F}Q2", "Качество\u{1F}Q1", "Качество\u{1F}Q2"])
            #expect(grid.map(\.answers) == [7, 7, 7, 7] && grid.map(\.mean) == [4, 5, 3, 2])
            let csv = try await w.admin.send(.GET, "/api/v1/reports/surveys/\(w.survey)", headers: ["Accept": "text/csv"]).text
            #expect(csv.contains("nps,,nps,10,") && csv.contains("why,,option: Сроки,3,100"), "\(csv)")
            let rows = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM survey_answers WHERE question_id = 'nps'").first()?.decode(column: "n", as: Int.self)
            #expect(rows == 10, "one row per questionnaire, never duplicated")
        }
    }

    @Test(arguments: TestDB.all)
    func aLinkAnswers404ForAWrongTokenAndAfterTheSurveyCloses(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let w = try await Self.world(app)
            let link = w.links[w.partners[0].uuidString]
            var browser = Browser(app: app)
            let page = try await browser.get("/s/\(Self.token(link))")
            #expect(page.status == .ok && page.html.contains("Порекомендуете нас?") && page.html.contains("data-condition-name"))
            #expect(try await browser.get("/s/\(Self.token(link))?lang=en").html.contains("Send answers"))
            // The form posts q_<id> fields (cells as q_<id>.<row>.<column>); a wrong answer comes back marked.
            let refused = try await browser.send(.POST, "/s/\(Self.token(link))", form: ["q_nps": "11", "q_ok": "false"])
            #expect(refused.status == .unprocessableEntity && refused.html.contains("Целое число от 0 до 10"), "\(refused.html)")
            let sent = try await browser.send(.POST, "/s/\(Self.token(link))", form: ["q_nps": "9", "q_ok": "false", "q_why": "Сроки",
                                                                                      "q_grid.0.0": "4", "q_grid.1.1": "2"])
            #expect(sent.status == .seeOther && sent.location?.contains("thanks=1") == true, "\(sent.status)")
            let kept = try await w.admin.get("/api/v1/surveys/\(w.survey)/questionnaires?status=answered").json()["items"] as? [[String: Any]]
            let answers = kept?.first?["answers"] as? [String: Any]
            #expect(answers?["why"] as? String == "Сроки" && ((answers?["grid"] as? [String: Any])?["Качество"] as? [String: Any])?["Q2"] as? Int == 2,
                    "\(String(describing: answers))")
            let wrong = try await browser.get("/s/\(String(repeating: "A", count: 32))")
            #expect(try await w.admin.post("/api/v1/surveys/\(w.survey)/close").status == .ok)
            let closed = try await browser.get("/s/\(Self.token(link))")
            #expect(wrong.status == .notFound && closed.status == .notFound)
            #expect(wrong.html == closed.html.replacingOccurrences(of: Self.token(link), with: String(repeating: "A", count: 32)) || wrong.html.count == closed.html.count,
                    "no hint which")
            #expect(try await Self.answer(app, link, ["nps": 9, "ok": true]).status == .notFound)
            // Switched off, surveys answer 404 and keep their data.
            var features = try await w.admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["surveys"] = false
            _ = try await w.admin.put("/api/v1/settings/features", features)
            let off = try await w.admin.get("/api/v1/surveys")
            #expect(off.status == .notFound && off.text.contains("feature_disabled"))
            features["surveys"] = true
            _ = try await w.admin.put("/api/v1/settings/features", features)
            #expect(try await w.admin.get("/api/v1/surveys").json()["total"] as? Int == 1)
        }
    }

    @Test(arguments: TestDB.all)
    func aOneGroupManagerReachesOnlyTheirRespondents(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let north = try await admin.post("/api/v1/access-groups", ["name": "Север"]).json()["id"] as! String
            let south = try await admin.post("/api/v1/access-groups", ["name": "Юг"]).json()["id"] as! String
            let w = try await Self.world(app, groups: (north, south))
            let (manager, _) = try await admin.createUser("north-manager", role: "manager", groups: [north])
            let mine = try await manager.get("/api/v1/surveys/\(w.survey)/questionnaires?per=50").json()
            #expect(mine["total"] as? Int == 5)
            let all = try await admin.get("/api/v1/surveys/\(w.survey)/questionnaires?per=50").json()["items"] as? [[String: Any]] ?? []
            let hidden = try #require(all.first { $0["partnerId"] as? String == w.partners[9].uuidString }?["id"] as? String)
            let put = try await manager.send(.PUT, "/api/v1/surveys/\(w.survey)/questionnaires/\(hidden)/answers",
                                             json: JSONObject(["answers": JSONObject(["nps": 10, "ok": true])]))
            #expect(put.status == .notFound)
            let csv = try await manager.send(.GET, "/api/v1/surveys/\(w.survey)/questionnaires", headers: ["Accept": "text/csv"]).text
            #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 6, "a header and five respondents")
            // An interview by the manager is recorded as a meeting about the survey.
            let own = try #require(all.first { $0["partnerId"] as? String == w.partners[0].uuidString }?["id"] as? String)
            let interview = try await manager.send(.PUT, "/api/v1/surveys/\(w.survey)/questionnaires/\(own)/answers",
                                                   json: JSONObject(["answers": JSONObject(["nps": 10, "ok": true])]))
            #expect(interview.status == .ok, "\(interview.text)")
            #expect(try await manager.get("/api/v1/interactions?subjectType=survey&subjectId=\(w.survey)").json()["total"] as? Int == 1)
            _ = try await Self.answer(app, w.links[w.partners[9].uuidString], ["nps": 0, "ok": false, "why": "Цена"])
            let theirs = try await manager.get("/api/v1/reports/surveys/\(w.survey)").decode(SurveyReport.self)
            #expect(theirs.invited == 5 && theirs.answered == 1, "the report counts only what the manager sees")
            #expect(try await admin.get("/api/v1/reports/surveys/\(w.survey)").decode(SurveyReport.self).answered == 2)
            let (viewer, _) = try await admin.createUser("north-viewer", role: "viewer", groups: [north])
            #expect(try await viewer.post("/api/v1/surveys/\(w.survey)/close").status == .forbidden)
        }
    }

    @Test func aStartedTemplateKeepsItsQuestions() async throws {
        try await withSdelka(.sqlite) { app in
            let w = try await Self.world(app)
            let survey = try await w.admin.get("/api/v1/surveys/\(w.survey)").json()
            let template = survey["templateId"] as! String
            var fewer = Self.questions
            fewer.removeLast()
            let refused = try await w.admin.send(.PATCH, "/api/v1/survey-templates/\(template)", json: JSONObject(["questions": fewer.map(JSONObject.init)]))
            #expect(refused.status == .conflict && refused.text.contains("template_in_use"), "\(refused.text)")
            var more = Self.questions
            more.append(["id": "extra", "order": 5, "text": "Что добавить?", "kind": "simple", "answerType": "text"])
            #expect(try await w.admin.send(.PATCH, "/api/v1/survey-templates/\(template)", json: JSONObject(["questions": more.map(JSONObject.init)])).status == .ok)
            var (browser, _) = try await Browser.signedIn(app, "admin", adminPassword)
            for path in ["/surveys", "/surveys/\(w.survey)", "/surveys/\(w.survey)/results", "/survey-templates", "/survey-templates/\(template)", "/surveys/new"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok && !page.html.contains("#("), "\(path): \(page.status)")
            }
        }
    }
}
