import Fluent
import NIOCore
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `sdelka classify [--date YYYY-MM-DD]`: runs classification by every enabled measure.
struct ClassifyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "date", help: "The classification date (today in the company's zone by default).")
        var date: String?
    }

    var help: String { "Runs ABC/XYZ classification for a date by every enabled measure." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        try await DatabaseSetup.tune(app)
        let date: CalendarDate
        if let text = signature.date {
            guard let parsed = CalendarDate(accepting: text) else { throw APIError.validation("date", CalendarDate.acceptedMessage) }
            date = parsed
        } else {
            date = CalendarDate(Date(), in: app.sdelka.timeZone)
        }
        let run = try await ClassificationRunner(db: app.db, author: .system).run(date: date)
        context.console.print("classified \(run.partners) partners by \(run.measures.map(\.rawValue).joined(separator: ", ")) "
            + "as of \(run.date) (ABC \(run.abcWindow.start) … \(run.abcWindow.end), XYZ \(run.xyzWindow.start) … \(run.xyzWindow.end), "
            + "\(run.subPeriods) sub-periods) in \(run.durationMs) ms")
    }
}
