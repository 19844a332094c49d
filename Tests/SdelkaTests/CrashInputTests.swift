import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Requests that once stopped the whole server (a Swift trap) from the lowest role: each now
/// answers a clear error, and the server keeps answering afterwards.
@Suite struct CrashInputTests {
    @Test(arguments: TestDB.all)
    func hugePagesAreRefusedAndTheLastPageIsEmpty(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (viewer, _) = try await admin.createUser("viewer", role: "viewer")
            for path in ["/api/v1/users", "/api/v1/partners", "/api/v1/deals", "/api/v1/interactions", "/api/v1/segments",
                         "/api/v1/inbound/unknown-senders", "/api/v1/audit"] {
                let reply = try await (path == "/api/v1/audit" ? admin : viewer).get(path + "?page=9223372036854775807")
                #expect(reply.status == .unprocessableEntity, "\(path): \(reply.text)")
                #expect(reply.errorFields["page"] == "must be between 1 and 1000000", "\(path)")
            }
            let last = try await viewer.get("/api/v1/users?page=1000000&per=500")
            #expect(last.status == .ok)
            #expect(try last.json()["items"] as? [Any] != nil && (try last.json()["items"] as? [Any])?.isEmpty == true)

            var (browser, _) = try await Browser.signedIn(app, "viewer", "password-viewer")
            #expect(try await browser.get("/partners?page=9223372036854775807").status == .unprocessableEntity)
            #expect(try await admin.get("/api/v1/health").status == .ok)
        }
    }

    /// Found by schemathesis: a NUL in `q` ended SQLite's full-text phrase early
    /// ("unterminated string", 500). Control characters separate words as spaces do.
    @Test(arguments: TestDB.all)
    func controlCharactersInASearchAreIgnored(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            _ = try await admin.partner("Ромашка Торг")
            for q in ["%C3%B3%C2%BDpH%F2%BB%8D%91%00%17%C2%B4%05", "%D1%80%D0%BE%D0%BC%D0%B0%00%D1%88%D0%BA%D0%B0", "%00", "%01%02"] {
                let reply = try await admin.get("/api/v1/partners?q=\(q)")
                #expect(reply.status == .ok, "\(q): \(reply.text)")
            }
            let found = try await admin.get("/api/v1/partners?q=%00%D1%80%D0%BE%D0%BC%D0%B0").json()
            #expect(found["total"] as? Int == 1, "\(found)")
            let named = try await admin.send(.POST, "/api/v1/partners", raw: #"{"name":"Нуль\u0000Торг"}"#)
            #expect(named.status == .badRequest && named.text.contains("NUL"), "\(named.text)")
            var (browser, page) = try await Browser.signedIn(app, "admin", adminPassword)
            let form = try await browser.submit("/partners", from: page, ["name": "Нуль\u{0}Торг"])
            #expect(form.status == .badRequest, "a form with a NUL: \(form.status)")
            for path in ["/api/v1/claims", "/api/v1/deals", "/api/v1/interactions", "/api/v1/products", "/api/v1/segments"] {
                #expect(try await admin.get(path + "?q=a%00b").status == .ok, "\(path)")
            }
        }
    }

    @Test(arguments: TestDB.all)
    func datesOutsideTheAcceptedRangeAreRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let (viewer, _) = try await admin.createUser("viewer", role: "viewer")
            for path in ["/api/v1/interactions?to=9999-12-31", "/api/v1/reports/funnel?to=9999-12-31",
                         "/api/v1/interactions?from=0001-01-01", "/api/v1/audit?to=9999-12-31"] {
                let reply = try await (path.hasPrefix("/api/v1/audit") ? admin : viewer).get(path)
                #expect(reply.status == .unprocessableEntity, "\(path): \(reply.text)")
                #expect(reply.errorFields.values.contains("must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30"), "\(path)")
            }
            // The last accepted day still has a day after it.
            #expect(try await viewer.get("/api/v1/interactions?to=9999-12-30").status == .ok)
            #expect(try await viewer.get("/api/v1/reports/funnel?from=1900-01-01&to=9999-12-30").status == .ok)

            let early = try await admin.post("/api/v1/classification/run", ["date": "0001-01-15"])
            #expect(early.status == .unprocessableEntity, "\(early.text)")
            #expect(early.errorFields["date"] == "must be a date YYYY-MM-DD from 1900-01-01 to 9999-12-30")
            // A window of a year before the first accepted date reaches into 1899 without trapping.
            #expect(try await admin.post("/api/v1/classification/run", ["date": "1900-01-15"]).status == .created)
            #expect(try await admin.post("/api/v1/classification/run", ["date": "9999-12-30"]).status == .created)
        }
    }

    @Test func lettersNestedTooDeepOrSplitTooFineAreRefused() async throws {
        try await withSdelka(.sqlite) { app in
            let admin = try await API.admin(app)
            var nested = "From: a@example.com\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
            for level in 0..<20_000 { nested += "Content-Type: multipart/mixed; boundary=b\(level)\r\n\r\n--b\(level)\r\n" }
            nested += "Content-Type: text/plain\r\n\r\nhi\r\n"
            #expect(nested.utf8.count > 1_000_000)
            let deep = try await admin.send(.POST, "/api/v1/inbound/email", raw: nested, contentType: .plainText)
            #expect(deep.status == .unprocessableEntity && deep.errorFields["message"] == "nests its MIME parts deeper than 50 levels", "\(deep.text)")

            var many = "From: a@example.com\r\nSubject: many\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            for _ in 0..<600 { many += "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" }
            let split = try await admin.send(.POST, "/api/v1/inbound/email", raw: many + "--b--\r\n", contentType: .plainText)
            #expect(split.status == .unprocessableEntity && split.errorFields["message"] == "has more than 500 MIME parts", "\(split.text)")
            #expect(try await admin.get("/api/v1/health").status == .ok)
        }
    }

    @Test func importsRefuseOversizedFilesAndFields() async throws {
        try await withSdelka(.sqlite, configuring: { $0.importMaxBytes = 100_000 }) { app in
            let admin = try await API.admin(app)
            let header = "code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel\n"
            let big = header + String(repeating: "P-1,Ромашка,,company,true,false,false,,,,,\n", count: 3_000)
            let tooBig = try await admin.send(.POST, "/api/v1/import/partners", raw: big, contentType: .csv)
            #expect(tooBig.status == .payloadTooLarge && tooBig.errorCode == "payload_too_large", "\(tooBig.status)")
            // An unclosed quote would read the rest of the file into one field.
            let runaway = header + "P-1,\"" + String(repeating: "x", count: 70_000) + "\n"
            let refused = try await admin.send(.POST, "/api/v1/import/partners", raw: runaway, contentType: .csv)
            #expect(refused.status == .unprocessableEntity, "\(refused.status)")
            #expect(refused.text.contains("a field is longer than 65536 bytes"), "\(refused.text)")
            let wide = header + String(repeating: "x,", count: 1_200) + "\n"
            #expect(try await admin.send(.POST, "/api/v1/import/partners", raw: wide, contentType: .csv).text.contains("more than 1000 fields"))
            #expect(try await admin.get("/api/v1/partners").json()["total"] as? Int == 0)
        }
    }

    /// Found by the fuzzer in CI: a second deal kind naming the first one's stage id collided on
    /// the stored row (500).
    @Test(arguments: TestDB.all)
    func idsOfAnotherKindsStagesAndActionsAreRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let first = try await admin.dealKind("Опт", type: "process", stages: ["Интерес"], checklists: [[JSONObject(["text": "Позвонить", "required": true])]])
            let stage = try #require(first.stages.first?.id), action = try #require(first.stages.first?.checklist?.first?.id)
            func create(_ stages: [JSONObject]) async throws -> API.Reply {
                try await admin.send(.POST, "/api/v1/deal-kinds", json: JSONObject(["name": "Розница", "type": "process", "stages": stages]))
            }
            let stolenStage = try await create([JSONObject(["id": stage.uuidString, "name": "Интерес", "order": -247, "checklist": [JSONObject]()])])
            #expect(stolenStage.status == .unprocessableEntity && stolenStage.errorFields["stages.0.id"] == "is a stage of another kind", "\(stolenStage.text)")
            let stolenAction = try await create([JSONObject(["name": "Интерес", "checklist": [JSONObject(["id": action.uuidString, "text": "x", "required": false])]])])
            #expect(stolenAction.errorFields["stages.0.checklist.0.id"] == "is an action of another stage", "\(stolenAction.text)")
            let twice = UUID().uuidString
            let repeated = try await create([JSONObject(["id": twice, "name": "А", "checklist": [JSONObject]()]), JSONObject(["id": twice, "name": "Б", "checklist": [JSONObject]()])])
            #expect(repeated.errorFields["stages.1.id"] == "is given twice", "\(repeated.text)")
            // A new id of one's own is taken as it is.
            let own = UUID()
            let fine = try await create([JSONObject(["id": own.uuidString, "name": "Интерес", "checklist": [JSONObject]()])])
            #expect(fine.status == .created, "\(fine.text)")
            #expect(try fine.decode(DealKindDTO.self).stages.first?.id == own)
        }
    }

    @Test(arguments: TestDB.all)
    func anEmptyBodyIsAValidationErrorNotAnUnsetField(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let reply = try await admin.post("/api/v1/counterparties", [:])
            #expect(reply.status == .unprocessableEntity, "\(reply.text)")
            #expect(reply.errorFields["name"] == "is required")
            #expect(reply.errorFields["partnerId"] != nil)
            #expect(try await admin.get("/api/v1/health").status == .ok)
        }
    }

    @Test(arguments: TestDB.all)
    func hugeAmountsAreRefusedAndSumsNearTheLimitStayExact(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let partner = try await admin.partner("Ромашка")
            let product = try await admin.product("A-1", "Болт")
            let huge = try await admin.sale(nil, date: "2026-11-02", partner: partner,
                                            lines: Array(repeating: (product, 1, nil, dec("40000000000000000"), nil), count: 3))
            #expect(huge.status == .unprocessableEntity, "\(huge.text)")
            #expect(huge.errorFields["lines.0.amount"] == "must have at most 2 decimals and be less than a trillion")

            // Three lines just under the limit: 3 × 999 999 999 999.99 = 2 999 999 999 999.97.
            let top = dec("999999999999.99")
            let big = try await admin.sale(nil, date: "2026-11-02", partner: partner, lines: Array(repeating: (product, 1, nil, top, nil), count: 3))
            #expect(big.status == .created, "\(big.text)")
            #expect(try big.decode(SaleDTO.self).revenue == dec("2999999999999.97"))

            // Open deals at the limit: the forecast and the deal analysis add them up exactly.
            let kind = try await admin.dealKind("Опт", type: "manual", stages: ["Интерес"])
            for name in ["d1", "d2", "d3"] {
                _ = try await admin.deal(name, partner: partner, kind: kind, ["potentialAmount": top, "endDate": "2026-12-20"])
            }
            let tooBig = try await admin.send(.POST, "/api/v1/deals", json: JSONObject(["name": "d4", "partnerId": partner.uuidString,
                                                                                      "kindId": kind.id.uuidString, "potentialAmount": dec("1000000000000")]))
            #expect(tooBig.errorFields["potentialAmount"] == "must have at most 2 decimals and be less than a trillion")
            let forecast = try await admin.get("/api/v1/reports/forecast")
            #expect(forecast.status == .ok, "\(forecast.text)")
            #expect(try forecast.decode(ForecastReport.self).total.potential == dec("2999999999999.97"))
            let analysis = try await admin.get("/api/v1/reports/deals?groupBy=kind")
            #expect(analysis.status == .ok, "\(analysis.text)")
            #expect(analysis.text.contains("2999999999999.97"))
            #expect(try await admin.get("/api/v1/reports/funnel?kindId=\(kind.id)").text.contains("2999999999999.97"))
        }
    }
}
