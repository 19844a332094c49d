import Fluent
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// A key repeated in an import file (code, INN and KPP, a partner's one counterparty, the same
/// person) is refused with the line that had it first, however far apart the two lines are:
/// past the first batch the answer comes from the import's temporary table (`SeenKeys`).
@Suite struct ImportRepeatTests {
    static let partnersHeader = "code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel\n"

    /// `count` partners P-1…, one per line from line 2.
    static func partners(_ count: Int) -> String {
        partnersHeader + (1...count).map { "P-\($0),Партнёр \($0),,company,,,,,,,," }.joined(separator: "\n") + "\n"
    }

    @Test(arguments: TestDB.all)
    func aPartnerCodeRepeatedBatchesLaterIsRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            // 2,500 partners, then P-3 (line 4) again on line 2502, and a child of P-2400 whose
            // parent is in the file.
            let file = Self.partners(2500) + "P-3,Самозванец,,company,,,,,,,,\nP-2501,Дочка,,company,,,,P-2400,,,,\n"
            let refused = try await admin.send(.POST, "/api/v1/import/partners", raw: file, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            let errors = try refused.decode(ImportReport.self).errors
            #expect(errors.map { "\($0.line):\($0.column):\($0.message)" } == ["2502:code:appears twice in the file (first on line 4)"],
                    "the parent named in the file counts as found although nothing is written")
            #expect(try await Partner.query(on: app.db).count() == 0)

            let partial = try await admin.send(.POST, "/api/v1/import/partners?partial=true", raw: file, contentType: .csv)
            #expect(try partial.decode(ImportReport.self).created == 2501)
            #expect(try await Partner.query(on: app.db).filter(\.$code == "P-3").first()?.name == "Партнёр 3", "the repeat changed nothing")
            let child = try await Partner.query(on: app.db).filter(\.$code == "P-2501").first()
            let parent = try await Partner.query(on: app.db).filter(\.$code == "P-2400").first()
            #expect(child?.parentID != nil && child?.parentID == parent?.id)
        }
    }

    @Test(arguments: TestDB.all)
    func counterpartyKeysRepeatedBatchesLaterAreRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            _ = try await admin.send(.POST, "/api/v1/import/partners", raw: Self.partners(3000), contentType: .csv)
            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["independentCounterparties"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            // Line 2 has a wrong legal form, so nothing is written; the keys of every line
            // still count. K-5 (line 6) holds Sberbank's INN and KPP.
            var lines = (1...2500).map { n in
                n == 5 ? "K-5,P-5,ПАО Сбербанк,legalEntity,7707083893,773601001," : "K-\(n),P-\(n),Контрагент \(n),\(n == 1 ? "robot" : "legalEntity"),,,"
            }
            lines.append("K-2,P-2600,Повтор кода,legalEntity,,,")
            lines.append("K-2600,P-2601,Сбербанк ещё раз,legalEntity,7707083893,773601001,")
            lines.append("K-2601,P-1500,Второй у партнёра,legalEntity,,,")
            let file = "code,partner_code,name,legal_form,inn,kpp,ogrn\n" + lines.joined(separator: "\n") + "\n"
            let refused = try await admin.send(.POST, "/api/v1/import/counterparties", raw: file, contentType: .csv)
            #expect(refused.status == .unprocessableEntity)
            let errors = try refused.decode(ImportReport.self).errors.map { "\($0.line):\($0.column):\($0.message)" }
            #expect(errors == [
                "2:legal_form:must be one of: legalEntity, soleProprietor, individual, foreignLegalEntity",
                "2502:code:appears twice in the file (first on line 3)",
                "2503:inn:the same INN and KPP are on line 6",
                "2504:partner_code:the partner's counterparty is already on line 1501; several per partner are switched off in settings",
            ])
            #expect(try await Counterparty.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDB.all)
    func thePersonRepeatedBatchesLaterIsRefused(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            _ = try await admin.send(.POST, "/api/v1/import/partners", raw: Self.partners(10), contentType: .csv)
            var lines = (1...1500).map { "P-\($0 % 10 + 1),Сотрудник \($0),,," }
            lines.append("P-2,  сотрудник   1,Директор,,")
            let file = "partner_code,name,position,phone,email\n" + lines.joined(separator: "\n") + "\n"
            let partial = try await admin.send(.POST, "/api/v1/import/contact-persons?partial=true", raw: file, contentType: .csv)
            let report = try partial.decode(ImportReport.self)
            #expect(report.created == 1500)
            #expect(report.errors.map { "\($0.line):\($0.column):\($0.message)" } == ["1502:name:the same person of this partner is on line 2"])
            #expect(try await ContactPerson.query(on: app.db).filter(\.$name == "Сотрудник 1").first()?.position == nil)
        }
    }

    /// With a filter of 64 bits nearly every key is a suspect: every answer then comes from the
    /// table, and must be the same as with the full filter.
    @Test(arguments: TestDB.all)
    func aFilterFullOfFalseAlarmsStillAnswersExactly(db: TestDB) async throws {
        try await withSdelka(db) { app in
            try await app.db.transaction { tx in
                let seen = SeenKeys(filterBits: 64)
                func key(_ text: String) -> SeenKeys.Key { SeenKeys.Key(space: .code, text: text) }
                var answers: [Int?] = []
                for batch in 0..<3 {
                    let keys = (0..<1000).map { (key: key("C-\(batch * 1000 + $0)"), line: batch * 1000 + $0 + 2) }
                    answers += try await seen.firstLines(keys, on: tx.sql, settle: {})
                    for statement in seen.statements(for: tx.sql) { try await tx.sql.raw(statement).run() }
                }
                #expect(answers.allSatisfy { $0 == nil }, "3,000 different keys are all new")
                let repeats = try await seen.firstLines([(key("C-7"), 3002), (key("C-2999"), 3003), (key("C-3000"), 3004),
                                                         (key("C-3000"), 3005), (SeenKeys.Key(space: .innKPP, text: "C-7"), 3006)],
                                                        on: tx.sql, settle: {})
                #expect(repeats == [9, 3001, nil, 3004, nil], "from the table, from the batch itself, and another space")
                try await seen.drop(on: tx.sql)
            }
        }
    }
}
