import Fluent
import Foundation
import SdelkaCore
import Vapor

/// `sdelka bench-mailings --send 5000`: on a database that holds partners with contact persons
/// (scripts/bench-mailings.sh imports them), a planned mailing to the contact persons of a
/// dynamic segment of every client: times planning and queueing its recipients (the segment
/// evaluated, addresses chosen, exclusions found, rows written), then handing `--send` of them
/// to the outbox and the SMTP server of `SMTP_URL` as the server's ticks do. For benchmarks only.
struct BenchMailingsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "send", help: "How many letters to send after planning (default 5000).")
        var send: Int?
    }

    var help: String { "Times planning a mailing to every client and sending part of it (scripts/bench-mailings.sh)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard app.sdelka.smtp != nil else { throw SMTPSettings.SettingsError("set SMTP_URL and MAIL_FROM") }
        try await app.autoMigrate()
        try await Bootstrap.ensureAdmin(app)
        let admin = try await User.query(on: app.db).filter(\.$login == "admin").first()
        let service = ServiceContext(db: app.db, author: ChangeAuthor(userID: admin?.id, login: "admin"), scope: .all, config: app.sdelka)
        var rule = SegmentRule()
        rule.isClient = true
        let segment = try await SegmentService(service).create(SegmentInput(name: "Все клиенты (бенчмарк)", kind: .dynamic, rule: rule))
        let topic = try await CatalogService<MailingTopic>(service).create(CatalogInput(name: "Акции (бенчмарк)"))
        var input = MailingInput()
        input.name = "Бенчмарк"
        input.topicId = try topic.requireID()
        input.subject = "{{partner.name}}: осенние цены"
        input.text = "Здравствуйте, {{contact.firstName}}!\nВаш менеджер — {{manager.name}}.\nОтписаться: {{unsubscribe.link}}"
        input.audience = MailingAudienceDTO(segmentId: try segment.requireID(), whom: .contactPersons)
        let mailings = MailingService(service)
        let mailing = try await mailings.create(input)
        try await mailings.schedule(mailing, expectedVersion: nil, linkBase: "http://127.0.0.1:8080")

        var started = Date()
        let planned = try await MailingDispatcher.startDue(app, now: Date())
        let planSeconds = Date().timeIntervalSince(started)
        let stats = try await MailingStats.load([try mailing.requireID()], on: app.db)[try mailing.requireID()] ?? MailingStatsDTO()
        context.console.print("planned \(planned) mailing: \(stats.recipients) recipient rows (\(stats.queued) queued, \(stats.skipped) skipped) "
            + "in \(String(format: "%.2f", planSeconds)) s")

        let target = min(signature.send ?? 5000, stats.queued)
        started = Date()
        var sent = 0, handed = 0
        while sent < target {
            handed += try await MailingDispatcher.handOver(app, now: Date(), limit: min(1000, target - handed))
            let before = sent
            while true {
                let n = try await MailSender.tick(app, now: Date())
                sent += n
                if n < MailSender.batch { break }
            }
            if sent == before { break }
        }
        let sendSeconds = Date().timeIntervalSince(started)
        context.console.print("handed \(handed) and sent \(sent) letters in \(String(format: "%.2f", sendSeconds)) s: "
            + "\(String(format: "%.0f", Double(sent) / max(sendSeconds, 0.001))) letters/s")
    }
}
