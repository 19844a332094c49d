import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// `sdelka import` on SQLite takes the database out of WAL for the load when no one else has it
/// open, and always leaves it in WAL.
@Suite struct BulkLoadTests {
    /// The app as `sdelka import` finds it (configured, nothing opened yet), with its SQLite file.
    func withCommandApp(_ body: (Application, String) async throws -> Void) async throws {
        try await withSdelka(.sqlite, serving: false) { app in
            guard case .sqlite(let path) = app.sdelka.database else { Issue.record("not SQLite"); return }
            try await body(app, path)
        }
    }

    func file(_ text: String) throws -> FileHandle {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sdelka-bulk-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try #require(FileHandle(forReadingAtPath: path))
    }

    /// Whether the file is in WAL mode, from its header (bytes 18 and 19, the write and read
    /// versions, are 2 in WAL and 1 in the rollback journal): `PRAGMA journal_mode` answers
    /// what its connection last saw, and a pooled connection that has not read since the
    /// switch still says "delete".
    func isInWALMode(_ path: String) throws -> Bool {
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let header = [UInt8](try handle.read(upToCount: 20) ?? Data())
        return header.count == 20 && header[18] == 2 && header[19] == 2
    }

    func partnerCodes(_ app: Application) async throws -> [String] {
        try await Partner.query(on: app.db).sort(\.$code).all().compactMap(\.code)
    }

    @Test func aDatabaseNoOneElseHasOpenIsTakenForTheLoadAndLeftInWAL() async throws {
        try await withCommandApp { app, path in
            let lines = (1...3000).map { "P-\(String(format: "%05d", $0)),Партнёр \($0)" }
            let (report, took) = try await ImportCommand.load("partners", from: try file("code,name\n" + lines.joined(separator: "\n") + "\n"),
                                                              partial: false, on: app)
            #expect(took)
            #expect(report == ImportReport(created: 3000, updated: 0, errors: []))
            let codes = try await partnerCodes(app)
            #expect(codes.count == 3000 && codes.first == "P-00001" && codes.last == "P-03000")
            #expect(try isInWALMode(path))
        }
    }

    @Test func aRejectedLoadLeavesNothingAndTheDatabaseInWAL() async throws {
        try await withCommandApp { app, path in
            let lines = (1...3000).map { $0 == 2500 ? ",без кода" : "P-\($0),Партнёр \($0)" }
            let handle = try file("code,name\n" + lines.joined(separator: "\n") + "\n")
            await #expect(throws: ImportRejected.self) {
                _ = try await ImportCommand.load("partners", from: handle, partial: false, on: app)
            }
            #expect(try await partnerCodes(app).isEmpty)
            #expect(try isInWALMode(path))
        }
    }

    @Test func aDatabaseOpenElsewhereIsLoadedBesideItInWAL() async throws {
        try await withCommandApp { app, path in
            // A server on the same file, prepared as `serve` does: its connections hold the WAL open.
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            try await configure(other, config: AppConfig(database: .sqlite(path: path), adminPassword: adminPassword, secret: "test-secret",
                                                         bcryptCost: 4, connectionsPerLoop: 1))
            try await prepareForServing(other, demo: false)
            let handle = try file("code,name\nP-1,Первый\nP-2,Второй\n")
            let loaded: (report: ImportReport, tookDatabase: Bool)
            do {
                loaded = try await ImportCommand.load("partners", from: handle, partial: false, on: app)
            } catch {
                try await other.asyncShutdown()
                throw error
            }
            let seen = try await Partner.query(on: other.db).count()
            try await other.asyncShutdown()
            let (report, took) = loaded
            #expect(!took)
            #expect(report.created == 2)
            #expect(seen == 2, "the other app reads the import once it is committed")
            #expect(try isInWALMode(path))
        }
    }
}
