import Foundation
import Vapor

/// `sdelka receive-mail < message.eml`: registers one received letter, as a mail server's
/// pipe delivery does (Postfix `mailbox_command`, an alias `|sdelka receive-mail`, fetchmail's
/// `mda`). A failure exits non-zero, so the mail server keeps the letter and tries again.
struct ReceiveMailCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Registers the RFC 822 letter read from standard input as an incoming e-mail interaction." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        context.console.print(try await Self.receive(FileHandle.standardInput.readDataToEndOfFile(), app: app))
    }

    /// Registers the letter; answers the line the command prints.
    static func receive(_ raw: Data, app: Application) async throws -> String {
        let service = InteractionService(db: app.db, author: InboundMail.author, scope: .all)
        let result = try await InboundMail(service: service).register([UInt8](raw))
        let letter = result.interaction
        var owner = "unknown sender"
        if let partner = letter.partnerID, let found = try await Partner.find(partner, on: app.db) { owner = found.name }
        return "\(result.duplicate ? "already registered" : "registered") \(try letter.requireID()): «\(letter.topic)» from \(letter.from ?? "-") (\(owner))"
    }
}
