import Fluent
import Foundation
import SdelkaCore

extension Importers {
    /// One import of `kind` in its own transaction, for the API and the web page alike;
    /// `feed` hands the file to the importer. A rejected import comes back with its report.
    static func perform(_ kind: String, partial: Bool, by user: CurrentUser, context: ServiceContext,
                        feed: @escaping @Sendable (BatchedCSVImport) async throws -> Void) async throws -> (report: ImportReport, rejected: Bool) {
        // Products are a catalogue: only those who manage catalogues change them.
        if kind == "products", !user.role.can(.manageCatalogs) { throw NotAllowed() }
        if kind == "competitor-prices", !(try await SettingsStore.features(on: context.db).isEnabled(.competitorIntel)) { throw FeatureOff(.competitorIntel) }
        do {
            let report = try await run(kind, on: context.db, author: context.author, scope: context.scope, partial: partial,
                                       today: context.today, feed: feed)
            return (report, false)
        } catch let rejected as ImportRejected {
            return (rejected.report, true)
        }
    }
}
