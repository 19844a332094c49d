import Fluent
import Foundation
import SdelkaCore
import Vapor

/// `sdelka bench-mail --letters 2000 [--attachment-kb 0]`: queues that many letters (UTF-8
/// subject, text and HTML, optionally a file) and times the sender handing them all to the SMTP
/// server of `SMTP_URL` — the same ticks the server runs, one SMTP session per tick, state and
/// audit written per letter. For benchmarks only (scripts/bench-mail.sh); never on a real
/// database.
struct BenchMailCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "letters", help: "How many letters to queue and send (default 2000).")
        var letters: Int?
        @Option(name: "attachment-kb", help: "The size of a file attached to each letter, in KB (default 0: none).")
        var attachmentKB: Int?
    }

    var help: String { "Times sending queued letters to the SMTP server of SMTP_URL (scripts/bench-mail.sh)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let smtp = app.sdelka.smtp else { throw SMTPSettings.SettingsError("set SMTP_URL and MAIL_FROM") }
        try await app.autoMigrate()
        try await Bootstrap.ensureAdmin(app)
        let count = signature.letters ?? 2000, kb = signature.attachmentKB ?? 0
        var service = InteractionService(db: app.db, author: .system, scope: .all, mailFrom: smtp.from)
        service.attachmentLimit = max(service.attachmentLimit, kb * 1024 + 1)
        let file = kb > 0 ? [AttachmentInput(filename: "Прайс-лист.pdf", contentType: "application/pdf",
                                             content: Data((0..<(kb * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }).base64EncodedString())] : nil
        for n in 1...count {
            var input = InteractionInput()
            input.type = .email
            input.topic = "Коммерческое предложение №\(n) — поставка упаковки"
            input.status = .queued
            input.to = "Клиент \(n) <client\(n)@example.ru>"
            input.bodyText = "Добрый день!\nНаправляем коммерческое предложение №\(n).\n\nОтдел продаж"
            input.bodyHtml = "<p>Добрый день!</p><p>Направляем коммерческое предложение №\(n).</p><p>Отдел продаж</p>"
            input.attachments = file
            _ = try await service.create(input)
        }
        context.console.print("queued \(count) letters\(kb > 0 ? " with \(kb) KB files" : "")")
        let started = Date()
        var sent = 0, ticks = 0
        while sent < count, ticks < count {
            sent += try await MailSender.tick(app, now: Date())
            ticks += 1
        }
        let seconds = Date().timeIntervalSince(started)
        context.console.print("sent \(sent) letters in \(String(format: "%.2f", seconds)) s over \(ticks) SMTP sessions: "
            + "\(String(format: "%.0f", Double(sent) / seconds)) letters/s")
    }
}
