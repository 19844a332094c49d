import Fluent
import Foundation
import SdelkaCore
import SQLKit

/// The rules of writing mailings (DOMAIN.md §7): a text whose placeholders are all known, an
/// audience or a trigger that names what exists, and the status moving draft → scheduled →
/// sending → done for a planned mailing, draft → active ⇄ paused for an event rule, either
/// ending in cancelled. Only a draft or a paused mailing is edited.
struct MailingService: RecordService {
    static let noun = "mailing"

    let context: ServiceContext
    var db: any Database { context.db }

    init(_ context: ServiceContext) { self.context = context }

    func list(q: String?, status: Mailing.Status?, mode: Mailing.Mode?, includeDeleted: Bool) -> QueryBuilder<Mailing> {
        let query = Mailing.query(on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        if let status { query.filter(\.$status == status) }
        if let mode { query.filter(\.$mode == mode) }
        return query.sort(\.$createdAt, .descending).sort(\.$id)
    }

    /// Mailings are the company's; whom each reaches follows its owner's access groups.
    func visible(_ id: UUID) async throws -> Mailing? { try await Mailing.find(id, on: db) }

    func dto(_ mailing: Mailing) async throws -> MailingDTO {
        try await dtos([mailing])[0]
    }

    func dtos(_ mailings: [Mailing]) async throws -> [MailingDTO] {
        let ids = try mailings.map { try $0.requireID() }
        let stats = try await MailingStats.load(ids, on: db)
        let files = try await Self.files(of: ids, on: db)
        return try mailings.map { try MailingDTO($0, stats: stats[try $0.requireID()] ?? MailingStatsDTO(), attachments: files[try $0.requireID()] ?? []) }
    }

    /// The files of some mailings without their content, in order.
    static func files(of ids: [UUID], on db: any Database) async throws -> [UUID: [AttachmentDTO]] {
        try await StoredFiles.list(MailingAttachment.self, of: ids, on: db)
    }

    static let attachmentLimit = 10 * 1024 * 1024, attachmentCount = 20

    /// Checks the files asked for against those the mailing has, into `errors`.
    private func files(_ input: MailingInput, of mailing: Mailing?, into errors: inout FieldErrors) async throws -> [(dto: AttachmentDTO, data: Data?)]? {
        guard let asked = input.attachments else { return nil }
        let existing = try await mailing.flatMap { $0.id }.asyncFlatMap { try await Self.files(of: [$0], on: db)[$0] } ?? []
        return InteractionService.files(asked, existing: existing, limit: Self.attachmentLimit, count: Self.attachmentCount, into: &errors)
    }

    private static func save(_ files: [(dto: AttachmentDTO, data: Data?)]?, of id: UUID, on db: any Database) async throws {
        try await StoredFiles.save(files, as: MailingAttachment.self, of: id, on: db)
    }

    func create(_ input: MailingInput) async throws -> Mailing {
        let mailing = Mailing()
        mailing.id = TimeOrderedID.make()
        mailing.name = ""
        mailing.channel = .email
        mailing.subject = ""
        mailing.text = ""
        mailing.audience = "{}"
        mailing.mode = .planned
        mailing.status = .draft
        mailing.ownerID = context.author.userID
        var errors = FieldErrors()
        if input.name.cleaned == nil { errors.add("name", "is required") }
        if input.topicId == nil { errors.add("topicId", "is required") }
        apply(input, to: mailing, clearing: [])
        try await check(mailing, into: &errors)
        let files = try await files(input, of: nil, into: &errors)
        try errors.check()
        let id = try mailing.requireID()
        try await writer.create(mailing) { tx in try await Self.save(files, of: id, on: tx) }
        return mailing
    }

    func update(_ mailing: Mailing, with input: MailingInput, clearing: Set<String>) async throws {
        guard mailing.status == .draft || mailing.status == .paused else {
            throw RuleConflict("mailing_not_editable", "Only a draft or a paused mailing is changed.")
        }
        var errors = FieldErrors()
        if let name = input.name, name.cleaned == nil { errors.add("name", "must not be empty") }
        if mailing.status == .paused, let mode = input.mode, mode != mailing.mode { errors.add("mode", "cannot change once the mailing has started") }
        let before = try MailingDTO(mailing)
        apply(input, to: mailing, clearing: clearing)
        try await check(mailing, into: &errors)
        let files = try await files(input, of: mailing, into: &errors)
        try errors.check()
        let id = try mailing.requireID()
        try await writer.update(mailing, before: before, expectedVersion: input.version) { tx in try await Self.save(files, of: id, on: tx) }
    }

    func setDeletionMark(_ mailing: Mailing, to mark: Bool, expectedVersion: Int?) async throws {
        if mark, [.scheduled, .sending, .active].contains(mailing.status) {
            throw RuleConflict("mailing_running", "Cancel or pause the mailing before marking it for deletion.")
        }
        try await writer.setDeletionMark(mailing, to: mark, expectedVersion: expectedVersion)
    }

    /// A planned mailing waits for its time (now when none is set); an event rule starts
    /// serving events that happen from now on. `linkBase` is where links in letters point.
    func schedule(_ mailing: Mailing, expectedVersion: Int?, linkBase: String) async throws {
        guard mailing.status == .draft else { throw RuleConflict("mailing_not_draft", "Only a draft is scheduled.") }
        guard !mailing.deletionMark else { throw RuleConflict("mailing_marked", "The mailing is marked for deletion.") }
        try await requireChannelOn(mailing.channel)
        var errors = FieldErrors()
        try await check(mailing, into: &errors)
        if mailing.mode == .planned, !MailingDTO.audience(of: mailing).hasSource {
            errors.add("audience", "must name a segment, an event, a survey, partners, contact persons or addresses")
        }
        try errors.check()
        let before = try MailingDTO(mailing)
        let now = Date()
        mailing.linkBase = context.config.publicURL ?? linkBase
        switch mailing.mode {
        case .planned:
            mailing.status = .scheduled
            if mailing.sendAt == nil { mailing.sendAt = now }
        case .event:
            mailing.status = .active
            mailing.activeSince = now
        }
        try await writer.update(mailing, before: before, expectedVersion: expectedVersion, action: .update)
    }

    func pause(_ mailing: Mailing, expectedVersion: Int?) async throws {
        guard [.scheduled, .sending, .active].contains(mailing.status) else {
            throw RuleConflict("mailing_not_running", "Only a scheduled, sending or active mailing is paused.")
        }
        try await change(mailing, expectedVersion: expectedVersion) { $0.status = .paused }
    }

    func resume(_ mailing: Mailing, expectedVersion: Int?) async throws {
        guard mailing.status == .paused else { throw RuleConflict("mailing_not_paused", "Only a paused mailing is resumed.") }
        try await requireChannelOn(mailing.channel)
        try await change(mailing, expectedVersion: expectedVersion) {
            switch $0.mode {
            case .planned: $0.status = $0.startedAt == nil ? .scheduled : .sending
            case .event:
                $0.status = .active
                $0.activeSince = Date()
            }
        }
    }

    /// Stops the mailing; messages not yet handed to the outbox are skipped as cancelled.
    func cancel(_ mailing: Mailing, expectedVersion: Int?) async throws {
        guard ![.done, .cancelled].contains(mailing.status) else { throw RuleConflict("mailing_finished", "The mailing is already finished.") }
        let id = try mailing.requireID()
        try await change(mailing, expectedVersion: expectedVersion, extra: { tx in
            try await tx.sql.update(MailingRecipient.schema)
                .set("status", to: SQLBind(MailingRecipient.Status.skipped.rawValue))
                .set("reason", to: SQLBind(MailingRecipient.Reason.cancelled.rawValue))
                .where("mailing_id", .equal, SQLBind(id)).where("status", .equal, SQLBind(MailingRecipient.Status.queued.rawValue))
                .where("handed_at", .is, SQLLiteral.null).run()
        }) {
            $0.status = .cancelled
            $0.finishedAt = Date()
        }
    }

    private func change(_ mailing: Mailing, expectedVersion: Int?, extra: (@Sendable (any Database) async throws -> Void)? = nil,
                        _ edit: (Mailing) -> Void) async throws {
        let before = try MailingDTO(mailing)
        edit(mailing)
        try await writer.update(mailing, before: before, expectedVersion: expectedVersion, extra: extra)
    }

    /// The channel's parts are on and something can carry it: letters need `SMTP_URL`, SMS
    /// `SMS_GATEWAY_URL` (either will do for e-mail-or-SMS), or nothing would ever leave.
    private func requireChannelOn(_ channel: Mailing.Channel) async throws {
        let features = try await SettingsStore.features(on: db)
        if channel != .sms, !features.isEnabled(.email) { throw FeatureOff(.email) }
        if channel != .email, !features.isEnabled(.sms) { throw FeatureOff(.sms) }
        let mail = context.config.smtp != nil, sms = context.config.smsGatewayURL != nil
        switch channel {
        case .email where !mail: throw FieldErrors("channel", "cannot be sent: no SMTP server is configured (SMTP_URL)")
        case .sms where !sms: throw FieldErrors("channel", "cannot be sent: no SMS gateway is configured (SMS_GATEWAY_URL)")
        case .emailOrSms where !mail && !sms: throw FieldErrors("channel", "cannot be sent: neither SMTP_URL nor SMS_GATEWAY_URL is configured")
        default: break
        }
    }

    var writer: RecordWriter<Mailing> {
        RecordWriter(db: db, author: context.author) { try MailingDTO($0) }
    }

    private func apply(_ input: MailingInput, to m: Mailing, clearing: Set<String>) {
        if let name = input.name.cleaned { m.name = name }
        if let channel = input.channel { m.channel = channel }
        if let topic = input.topicId { m.topicID = topic }
        if let subject = input.subject { m.subject = subject.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let text = input.text { m.text = text }
        if let html = input.html { m.html = html.cleaned }
        if clearing.contains("html") { m.html = nil }
        if let sender = input.sender { m.sender = sender.cleaned }
        if clearing.contains("sender") { m.sender = nil }
        if let mode = input.mode { m.mode = mode }
        if let sendAt = input.sendAt { m.sendAt = sendAt }
        if clearing.contains("sendAt") { m.sendAt = nil }
        if let validUntil = input.validUntil { m.validUntil = validUntil }
        if clearing.contains("validUntil") { m.validUntil = nil }
        if let audience = input.audience {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            m.audience = String(decoding: (try? encoder.encode(audience)) ?? Data("{}".utf8), as: UTF8.self)
        }
        if let trigger = input.trigger {
            m.triggerEvent = trigger.event
            m.triggerDealKindID = trigger.dealKindId
            m.triggerStageID = trigger.stageId
            m.delayMinutes = trigger.delayMinutes
        }
        if clearing.contains("trigger") {
            m.triggerEvent = nil
            m.triggerDealKindID = nil
            m.triggerStageID = nil
            m.delayMinutes = nil
        }
        m.searchText = SearchText.normalize(m.name, m.subject)
    }

    private func check(_ m: Mailing, into errors: inout FieldErrors) async throws {
        if m.name.count > 200 { errors.add("name", "must be at most 200 characters") }
        if m.channel != .sms, m.subject.isEmpty { errors.add("subject", "is required for e-mail") }
        if m.subject.count > 500 { errors.add("subject", "must be at most 500 characters") }
        if m.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("text", "is required") }
        if m.text.utf8.count > 200_000 { errors.add("text", "must be at most 200000 bytes") }
        if (m.html ?? "").utf8.count > 1_000_000 { errors.add("html", "must be at most 1000000 bytes") }
        for (field, text) in [("subject", m.subject), ("text", m.text), ("html", m.html ?? "")] {
            let unknown = MailingTemplate(text).unknown
            if !unknown.isEmpty {
                errors.add(field, "uses unknown placeholders: " + unknown.map { "{{\($0)}}" }.joined(separator: ", "))
            }
        }
        if let sender = m.sender, MailAddress.strictList(sender)?.count != 1 { errors.add("sender", "is not an e-mail address") }
        if let from = m.sendAt, let until = m.validUntil, until <= from { errors.add("validUntil", "must be after sendAt") }
        if let topic = m.topicID, try await MailingTopic.query(on: db).filter(\.$id == topic).filter(\.$deletionMark == false).count() == 0 {
            errors.add("topicId", "names a mailing topic that does not exist")
        }
        try await checkAudience(MailingDTO.audience(of: m), into: &errors)
        switch m.mode {
        case .planned:
            if m.triggerEvent != nil { errors.add("trigger", "is only for event mailings") }
        case .event:
            try await checkTrigger(m, into: &errors)
        }
    }

    private func checkAudience(_ a: MailingAudienceDTO, into errors: inout FieldErrors) async throws {
        if (a.partnerIds ?? []).count + (a.contactPersonIds ?? []).count > 10_000 {
            errors.add("audience", "must name at most 10000 partners and contact persons")
        }
        if let id = a.segmentId, try await Segment.find(id, on: db) == nil { errors.add("audience.segmentId", "names a segment that does not exist") }
        if let id = a.eventId, try await MarketingEvent.find(id, on: db) == nil { errors.add("audience.eventId", "names a marketing event that does not exist") }
        if let id = a.surveyId, try await Survey.find(id, on: db) == nil { errors.add("audience.surveyId", "names a survey that does not exist") }
        if let id = a.roleId, try await ContactRole.find(id, on: db) == nil { errors.add("audience.roleId", "names a contact role that does not exist") }
        let extras = a.extraAddresses ?? []
        if extras.count > 10_000 { errors.add("audience.extraAddresses", "must list at most 10000 addresses") }
        for (index, extra) in extras.prefix(10_000).enumerated() {
            let text = extra.trimmingCharacters(in: .whitespaces)
            let valid = text.contains("@") ? MailAddress.strictList(text)?.count == 1 : Phone.normalize(text).filter(\.isNumber).count >= 10
            if !valid { errors.add("audience.extraAddresses.\(index)", "is neither an e-mail address nor a phone number") }
        }
    }

    private func checkTrigger(_ m: Mailing, into errors: inout FieldErrors) async throws {
        guard let event = m.triggerEvent else { errors.add("trigger.event", "is required for an event mailing"); return }
        if let delay = m.delayMinutes, !(0...525_600).contains(delay) { errors.add("trigger.delayMinutes", "must be 0 to 525600 (a year)") }
        if let kind = m.triggerDealKindID, try await DealKind.find(kind, on: db) == nil { errors.add("trigger.dealKindId", "names a deal kind that does not exist") }
        if event == .dealStage {
            guard let stage = m.triggerStageID else { errors.add("trigger.stageId", "is required for dealStage"); return }
            guard let row = try await DealStage.find(stage, on: db) else { errors.add("trigger.stageId", "names a stage that does not exist"); return }
            if let kind = m.triggerDealKindID, row.kindID != kind { errors.add("trigger.stageId", "is not a stage of the deal kind") }
        }
    }
}
