import Vapor

/// `sdelka purge [--dry-run]`: deletes objects marked for deletion that nothing refers to.
struct PurgeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "dry-run", help: "Only list what would be deleted and what is kept.")
        var dryRun: Bool
    }

    var help: String { "Deletes objects marked for deletion that no other object refers to." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let report = signature.dryRun
            ? try await Purge.preview(on: app.db)
            : try await Purge.run(by: .system, on: app.db)
        let verb = signature.dryRun ? "would delete" : "deleted"
        context.console.print("\(verb) \(report.purged.count), kept \(report.kept.count) still referenced")
        for item in report.purged { context.console.print("  - \(item.objectType) \(item.name) (\(item.id))") }
        for item in report.kept {
            let by = item.referencedBy?.joined(separator: ", ") ?? ""
            context.console.print("  = \(item.objectType) \(item.name) kept: referenced by \(by)")
        }
    }
}
