import Fluent
import Foundation
import SdelkaCore
import Vapor

/// `sdelka import <kind> <file> [--partial]`: streams the file in 1 MB chunks inside one
/// transaction, with a progress line on the terminal.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "What the file holds: partners, counterparties, contact-persons, products, sales")
        var kind: String
        @Argument(name: "file", help: "The CSV file (UTF-8, comma, header row)")
        var file: String
        @Flag(name: "partial", help: "Import the good rows even if some have errors")
        var partial: Bool
    }

    var help: String { "Imports a CSV file (partners, counterparties, contact-persons, products, sales)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard Importers.kinds.contains(signature.kind) else {
            context.console.error("Unknown kind '\(signature.kind)'; known: \(Importers.kinds.joined(separator: ", "))")
            throw CommandFailed(reason: "bad arguments")
        }
        guard let handle = FileHandle(forReadingAtPath: signature.file) else {
            context.console.error("Cannot read \(signature.file)")
            throw CommandFailed(reason: "bad arguments")
        }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: signature.file)[.size] as? Int) ?? 0
        let started = Date()
        let console = context.console
        do {
            let (report, tookDatabase) = try await Self.load(signature.kind, from: handle, partial: signature.partial, on: app) { read in
                Self.progress(read, of: total, since: started)
            }
            FileHandle.standardError.write(Data("\n".utf8))
            console.print("created \(report.created), updated \(report.updated), errors \(report.errors.count) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            if !tookDatabase, case .sqlite = app.sdelka.database {
                console.print("(the database was open elsewhere: the import ran beside it, in WAL mode)")
            }
            for problem in report.errors { console.print("  line \(problem.line), \(problem.column): \(problem.message)") }
        } catch let rejected as ImportRejected {
            FileHandle.standardError.write(Data("\n".utf8))
            console.error("nothing imported: \(rejected.report.errors.count) errors")
            for problem in rejected.report.errors.prefix(50) { console.print("  line \(problem.line), \(problem.column): \(problem.message)") }
            throw CommandFailed(reason: "the import was rejected")
        }
    }

    /// The import without the terminal, for the command and its tests: migrates, takes the
    /// database for the load when no one else has it open (`DatabaseSetup.withBulkLoad`), and
    /// streams the file in 1 MB chunks, telling `progress` how many bytes are read.
    static func load(_ kind: String, from handle: FileHandle, partial: Bool, on app: Application,
                     progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> (report: ImportReport, tookDatabase: Bool) {
        try await DatabaseSetup.withBulkLoad(app) { took in
            try await app.autoMigrate()
            // The import's own transaction sends its sorts to temporary files (`Importers.transaction`).
            try await DatabaseSetup.tune(app, cacheMB: 24, bulkLoad: took)
            let report = try await Importers.run(kind, on: app.db, author: .system, scope: .all, partial: partial,
                                                 today: CalendarDate(Date(), in: app.sdelka.timeZone)) { importer in
                var read = 0
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try await importer.feed(chunk)
                    read += chunk.count
                    progress(read)
                }
            }
            return (report, took)
        }
    }

    static func progress(_ read: Int, of total: Int, since start: Date) {
        guard total > 0 else { return }
        let share = Double(read) / Double(total)
        let width = 30
        let done = Int(share * Double(width))
        let bar = String(repeating: "█", count: done) + String(repeating: "·", count: width - done)
        let line = String(format: "\r[%@] %3.0f%%  %.1f s", bar, share * 100, Date().timeIntervalSince(start))
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// Ends a command with a non-zero exit status after it has printed why.
struct CommandFailed: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
