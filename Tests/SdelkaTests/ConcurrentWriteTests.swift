import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Users saving at the same moment each get their answer: on SQLite a transaction that read
/// before it wrote used to fail with "database is locked" when another had committed meanwhile.
@Suite struct ConcurrentWriteTests {
    @Test(arguments: TestDB.all)
    func simultaneousSavesAllSucceed(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            let partner = try await admin.partner("Ромашка")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        switch index % 3 {
                        case 0: return try await admin.put("/api/v1/settings/features", features).status
                        case 1: return try await admin.post("/api/v1/partners", ["name": "Партнер \(index)"]).status
                        default: return try await admin.post("/api/v1/contact-persons", ["partnerId": partner.uuidString, "name": "Лицо \(index)"]).status
                        }
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 != .ok && $0 != .created }.isEmpty, "\(statuses.map(\.code))")
            #expect(try await admin.get("/api/v1/contact-persons?partnerId=\(partner)").json()["total"] as? Int == 8)
        }
    }
}

@Suite struct SQLiteWriteGateTests {
    @Test func writersTakeTurnsAndOneThatWaitsTooLongGivesUp() async throws {
        let gate = SQLiteWriteGate(patience: .milliseconds(100))
        try await gate.enter("a.sqlite")
        try await gate.enter("b.sqlite")  // another file is another turn
        await #expect(throws: APIError.self) { try await gate.enter("a.sqlite") }
        let next = Task { try await gate.enter("a.sqlite") }
        await gate.leave("a.sqlite")
        try await next.value  // admitted when the writer before it left
        await gate.leave("a.sqlite")
        try await gate.enter("a.sqlite")
    }
}

@Suite struct SimultaneousDuplicateTests {
    /// The code check runs before the write: two saves of one code at the same moment both pass
    /// it, and the database's unique index stops the second. That is a 409, not a 500.
    @Test(arguments: TestDB.all)
    func theSameCodeSavedAtOnceGivesOnePartnerAndConflicts(db: TestDB) async throws {
        try await withSdelka(db) { app in
            let admin = try await API.admin(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<12 {
                    group.addTask { try await admin.post("/api/v1/partners", ["name": "Ромашка \(index)", "code": "P-1"]).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses.map(\.code))")
            #expect(statuses.allSatisfy { [.created, .unprocessableEntity, .conflict].contains($0) }, "\(statuses.map(\.code))")
            #expect(try await admin.get("/api/v1/partners?q=P-1").json()["total"] as? Int == 1)
        }
    }
}
