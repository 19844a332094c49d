import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Interactions are seen through the partner they belong to (their first partner
/// participant); one with no partner, like any record without a group (DOMAIN.md §9), only by
/// those who see every partner and by its author and its responsible. Every write
/// keeps its participants, its SMS recipients and the figures of the chains it touches in the
/// same transaction as the audit entry.
struct InteractionService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    /// Whether `SMS_GATEWAY_URL` is set: without it an SMS can be written down, not queued.
    var smsGateway = false
    /// The sender of `MAIL_FROM` when SMTP is configured: without it a letter is written down,
    /// not queued. Its domain names the letters' Message-IDs.
    var mailFrom: MailAddress?
    /// Files a user may attach to one letter; a received letter may bring more.
    var attachmentLimit = 10 * 1024 * 1024
    /// Files one letter may carry; a received letter may bring as many as it has parts.
    var attachmentCountLimit = 50
    /// The Message-ID and References of a letter being registered as received.
    var receivedHeaders: (messageID: String?, references: [String])?

    /// The interactions this service's user may see.
    func scoped() -> QueryBuilder<Interaction> { InteractionQueries.scoped(scope, userID: author.userID, on: db) }

    /// As the user sees them: participants of partners hidden from the user are `hidden`.
    /// `masked: false` gives them as stored, for the audit and for keeping them on a change.
    func dtos(_ interactions: [Interaction], masked: Bool = true) async throws -> [InteractionDTO] {
        let ids = try interactions.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let rows = try await InteractionParticipant.query(on: db).filter(\.$interactionID ~~ ids).sort(\.$position).all()
        let hidden = masked ? try await hiddenPartners(among: rows.compactMap(\.partnerID)) : []
        let participants = Dictionary(grouping: rows, by: \.interactionID)
        let smsIDs = interactions.filter { $0.type == .sms }.compactMap(\.id)
        let recipients = smsIDs.isEmpty ? [:] : Dictionary(grouping: try await SMSRecipient.query(on: db).filter(\.$interactionID ~~ smsIDs)
            .sort(\.$position).all(), by: \.interactionID)
        let emailIDs = interactions.filter { $0.type == .email }.compactMap(\.id)
        let files = try await StoredFiles.list(InteractionAttachment.self, of: emailIDs, on: db)
        let chains = try await InteractionChains.load(Set(interactions.map { InteractionSubjectDTO(type: $0.subjectType, id: $0.subjectID) }), on: db)
        return try interactions.map { i in
            let id = try i.requireID()
            return try InteractionDTO(i, participants: (participants[id] ?? []).map { $0.partnerID.map(hidden.contains) == true ? .hiddenOne : Self.dto($0) },
                                      recipients: i.type == .sms ? (recipients[id] ?? []).map { SMSRecipientDTO(phone: $0.phone, state: $0.state, error: $0.error) } : nil,
                                      attachments: files[id] ?? [],
                                      chain: chains[InteractionSubjectDTO(type: i.subjectType, id: i.subjectID)])
        }
    }

    func dto(_ interaction: Interaction) async throws -> InteractionDTO { try await dto(interaction, masked: true) }

    func dto(_ interaction: Interaction, masked: Bool) async throws -> InteractionDTO {
        try await dtos([interaction], masked: masked)[0]
    }

    /// Which of these partners the user may not see (none for those who see all).
    func hiddenPartners(among partners: [UUID]) async throws -> Set<UUID> {
        guard scope != .all, !partners.isEmpty else { return [] }
        let visible = Set(try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ Set(partners)).all(\.$id))
        return Set(partners).subtracting(visible)
    }

    /// The participants a change asks for, with the hidden ones kept: a `hidden` entry stands
    /// for the next stored hidden participant, and those not placed are kept at the end.
    static func merging(_ asked: [InteractionParticipantDTO], keeping stored: [InteractionParticipantDTO], hidden: Set<UUID>) -> [InteractionParticipantDTO] {
        var kept = stored.filter { $0.partnerId.map(hidden.contains) == true }[...]
        var result: [InteractionParticipantDTO] = []
        for participant in asked {
            if participant.hidden == true {
                if let next = kept.popFirst() { result.append(next) }
            } else {
                result.append(participant)
            }
        }
        return result + kept
    }

    static func dto(_ p: InteractionParticipant) -> InteractionParticipantDTO {
        InteractionParticipantDTO(partnerId: p.partnerID, contactPersonId: p.contactPersonID, userId: p.userID, name: p.name, address: p.address)
    }

    func writer(_ participants: [InteractionParticipantDTO], _ recipients: [SMSRecipientDTO]?, _ files: [AttachmentDTO]?) -> RecordWriter<Interaction> {
        RecordWriter(db: db, author: author) { try InteractionDTO($0, participants: participants, recipients: recipients, attachments: files, chain: nil) }
    }

    func create(_ input: InteractionInput) async throws -> Interaction {
        guard let type = input.type else { throw FieldErrors("type", "is required") }
        // E-mail and SMS each have their switch (DOMAIN.md §8).
        let features = try await SettingsStore.features(on: db)
        if type == .email, !features.isEnabled(.email) { throw FeatureOff(.email) }
        if type == .sms, !features.isEnabled(.sms) { throw FeatureOff(.sms) }
        let interaction = Interaction()
        interaction.id = TimeOrderedID.make()
        interaction.type = type
        interaction.importance = .normal
        interaction.reviewed = false
        interaction.topic = ""
        interaction.authorID = author.userID
        interaction.responsibleID = author.userID
        interaction.mailAttempts = 0
        if type == .sms { interaction.transliterate = false }
        var participants = input.participants ?? []
        let recipients = type == .sms ? (input.recipients ?? []).map { SMSRecipientDTO(phone: $0.phone, state: $0.state ?? .queued, error: $0.error) } : nil
        var errors = try await apply(input, to: interaction, participants: &participants)
        errors.merge(InteractionInput.validate(interaction, recipients: recipients))
        if !smsGateway, recipients?.contains(where: { $0.state == .queued }) == true {
            errors.add("recipients", "cannot be queued: no SMS gateway is configured (SMS_GATEWAY_URL)")
        }
        let files = type == .email ? Self.files(input.attachments ?? [], existing: [], limit: attachmentLimit, count: attachmentCountLimit, into: &errors) : nil
        try errors.check()
        let saved = participants
        try await writer(saved, recipients, files?.map(\.dto)).create(interaction) { tx in
            try await Self.saveParts(of: interaction, participants: saved, recipients: recipients, on: tx)
            try await Self.saveFiles(files, of: interaction, on: tx)
            try await InteractionChains.refresh([InteractionSubjectDTO(type: interaction.subjectType, id: interaction.subjectID)], on: tx)
        }
        return interaction
    }

    func update(_ interaction: Interaction, with input: InteractionInput) async throws {
        if let type = input.type, type != interaction.type { throw FieldErrors("type", "cannot be changed") }
        let before = try await dto(interaction, masked: false)
        let oldSubject = before.subject
        let hidden = try await hiddenPartners(among: before.participants.compactMap(\.partnerId))
        var participants = input.participants.map { Self.merging($0, keeping: before.participants, hidden: hidden) } ?? before.participants
        let recipients = interaction.type == .sms
            ? (input.recipients.map { $0.map { SMSRecipientDTO(phone: $0.phone, state: $0.state ?? .queued, error: $0.error) } } ?? before.recipients) : nil
        var errors = try await apply(input, to: interaction, participants: &participants, stored: Set(before.participants.compactMap(\.partnerId)))
        errors.merge(InteractionInput.validate(interaction, recipients: recipients))
        let files = interaction.type == .email ? input.attachments.map { Self.files($0, existing: before.attachments ?? [], limit: attachmentLimit, count: attachmentCountLimit, into: &errors) } : nil
        try errors.check()
        var snapshot = before
        snapshot.chain = nil
        let saved = participants
        try await writer(saved, recipients, files?.map(\.dto) ?? before.attachments).update(interaction, before: snapshot, expectedVersion: input.version) { tx in
            if input.participants != nil || input.recipients != nil {
                try await Self.saveParts(of: interaction, participants: saved, recipients: recipients, on: tx)
            }
            try await Self.saveFiles(files, of: interaction, on: tx)
            try await InteractionChains.refresh([oldSubject, InteractionSubjectDTO(type: interaction.subjectType, id: interaction.subjectID)], on: tx)
        }
    }

    /// Sets the fields given, the subject (from the basis, the input, or the interaction
    /// itself), the partner it belongs to and the time it is listed by; answers the problems
    /// with references.
    private func apply(_ input: InteractionInput, to i: Interaction, participants: inout [InteractionParticipantDTO],
                       stored: Set<UUID> = []) async throws -> FieldErrors {
        var errors = FieldErrors()
        if let topic = input.topic { i.topic = topic.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let text = input.description { i.details = text.cleaned }
        if let importance = input.importance { i.importance = importance }
        if let user = input.responsibleId {
            if try await !UserReads.isActive(user, on: db) { errors.add("responsibleId", "names a user that does not exist or is not active") }
            i.responsibleID = user
        }
        if let reviewed = input.reviewed { i.reviewed = reviewed }
        if let after = input.reviewAfter { i.reviewAfter = after.cleaned }
        if let value = input.start { i.start = value }
        if let value = input.end { i.end = value }
        if let value = input.place { i.place = value.cleaned }
        if let value = input.plannedAt { i.plannedAt = value }
        if let value = input.incoming { i.incoming = value }
        if let value = input.phone { i.phone = value.cleaned }
        if let value = input.durationSeconds { i.durationSeconds = value }
        if let value = input.from { i.from = value.cleaned }
        if let value = input.to { i.to = value.cleaned }
        if let value = input.cc { i.cc = value.cleaned }
        if let value = input.bodyText { i.bodyText = value.cleaned }
        if let value = input.bodyHtml { i.bodyHTML = value.cleaned }
        if let status = input.status, status != i.status {
            setStatus(status, of: i, into: &errors)
        }
        if let value = input.text { i.text = value.cleaned }
        if let value = input.transliterate { i.transliterate = value }
        if let value = input.sendAt { i.sendAt = value }
        if let value = input.validUntil { i.validUntil = value }
        try await setSubject(input, of: i, into: &errors)
        if let received = receivedHeaders {
            i.messageID = received.messageID
            i.references = received.references.suffix(20).joined(separator: " ").cleaned
        }
        i.partnerID = try await checkParticipants(&participants, stored: stored, into: &errors)
        i.occurredAt = i.type == .meeting ? (i.start ?? i.createdAt ?? Date()) : i.type == .planned ? (i.plannedAt ?? i.createdAt ?? Date()) : (i.createdAt ?? Date())
        i.searchText = SearchText.normalize(i.topic, i.details, i.place, i.phone, i.from, i.to, i.text,
                                            participants.compactMap(\.name).joined(separator: " "), participants.compactMap(\.address).joined(separator: " "))
        return errors
    }

    /// A letter is queued only through a configured SMTP server, never after it went or when it
    /// came in; `failed` is the sender's to set. Queuing starts the attempts afresh.
    private func setStatus(_ status: Interaction.MailStatus, of i: Interaction, into errors: inout FieldErrors) {
        switch status {
        case .failed:
            errors.add("status", "cannot be set: only sending fails a letter")
            return
        case .queued:
            guard let mailFrom else { errors.add("status", "cannot be queued: no SMTP server is configured (SMTP_URL)"); return }
            if i.status == .sent { errors.add("status", "cannot be queued: the letter has been sent"); return }
            if i.status == .received || i.incoming == true { errors.add("status", "cannot be queued: the letter is incoming"); return }
            i.mailAttempts = 0
            i.mailNextAttemptAt = nil
            i.error = nil
            if i.messageID == nil, let id = i.id {
                i.messageID = "<\(id.uuidString.lowercased())@\(mailFrom.address.split(separator: "@").last ?? "sdelka")>"
            }
        case .sent:
            if i.sentAt == nil { i.sentAt = Date() }
        case .draft, .received:
            break
        }
        i.status = status
    }

    private func setSubject(_ input: InteractionInput, of i: Interaction, into errors: inout FieldErrors) async throws {
        let id = try i.requireID()
        if let basis = input.basisId {
            guard basis != id, let found = try await scoped().filter(\.$id == basis).first() else {
                errors.add("basisId", "names an interaction that does not exist")
                return
            }
            i.basisID = basis
            if i.type == .email, found.type == .email {
                // A reply names the letter it answers and that letter's ancestors (RFC 5322 §3.6.4).
                i.references = ((found.references ?? "").split(separator: " ").map(String.init) + [found.messageID].compactMap { $0 })
                    .suffix(20).joined(separator: " ").cleaned
            }
            i.subjectType = found.subjectType
            i.subjectID = found.subjectID
            return
        }
        if let subject = input.subject {
            if try await !exists(subject) {
                switch subject.type {
                case .deal: errors.add("subject.id", "names a deal that does not exist")
                case .event: errors.add("subject.id", "names a marketing event that does not exist")
                case .interaction: errors.add("subject.id", "names an interaction that does not exist")
                case .claim: errors.add("subject.id", "names a claim that does not exist")
                case .survey: errors.add("subject.id", "names a survey that does not exist")
                case .mailing: errors.add("subject.id", "names a mailing that does not exist")
                }
                return
            }
            i.subjectType = subject.type
            i.subjectID = subject.id
            return
        }
        if i.$subjectID.value == nil {
            i.subjectType = .interaction
            i.subjectID = id
        }
    }

    private func exists(_ subject: InteractionSubjectDTO) async throws -> Bool {
        switch subject.type {
        case .deal: return try await DealQueries.scoped(scope, on: db).filter(\.$id == subject.id).count() > 0
        case .event: return try await MarketingEvent.query(on: db).filter(\.$id == subject.id).count() > 0
        case .interaction: return try await scoped().filter(\.$id == subject.id).count() > 0
        case .claim: return try await ClaimQueries.scoped(scope, on: db).filter(\.$id == subject.id).count() > 0
        case .survey: return try await Survey.find(subject.id, on: db) != nil
        case .mailing: return try await Mailing.find(subject.id, on: db) != nil
        }
    }

    /// Each partner exists and is visible (or was a participant already: one hidden from the
    /// user is kept, not refused), a contact person belongs to the partner given (or gives its
    /// partner), a user exists; answers the partner the interaction belongs to.
    private func checkParticipants(_ participants: inout [InteractionParticipantDTO], stored: Set<UUID>,
                                   into errors: inout FieldErrors) async throws -> UUID? {
        let people = try await ContactPerson.query(on: db).filter(\.$id ~~ Set(participants.compactMap(\.contactPersonId))).all()
        let ownerOf = Dictionary(uniqueKeysWithValues: try people.map { (try $0.requireID(), $0.partnerID) })
        let partners = Set(participants.compactMap(\.partnerId) + ownerOf.values)
        let visible = Set(try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ partners).filter(\.$deletionMark == false).all(\.$id))
            .union(stored)
        var first: UUID?
        for (index, p) in participants.enumerated() {
            if let person = p.contactPersonId {
                guard let owner = ownerOf[person], visible.contains(owner) else {
                    errors.add("participants.\(index).contactPersonId", "names a contact person that does not exist"); continue
                }
                if let partner = p.partnerId, partner != owner { errors.add("participants.\(index).contactPersonId", "is not a contact person of this partner") }
                // A contact person's row names its partner too, so that a partner's timeline is one index read.
                participants[index].partnerId = owner
                first = first ?? owner
            } else if let partner = p.partnerId {
                guard visible.contains(partner) else { errors.add("participants.\(index).partnerId", "names a partner that does not exist"); continue }
                first = first ?? partner
            } else if let user = p.userId {
                if try await !UserReads.isActive(user, on: db) { errors.add("participants.\(index).userId", "names a user that does not exist or is not active") }
            } else if p.name.cleaned == nil, p.address.cleaned == nil {
                errors.add("participants.\(index).name", "is required without a partner, contact person or user")
            }
        }
        return first
    }

    static func saveParts(of i: Interaction, participants: [InteractionParticipantDTO], recipients: [SMSRecipientDTO]?, on db: any Database) async throws {
        let id = try i.requireID()
        try await InteractionParticipant.query(on: db).filter(\.$interactionID == id).delete()
        for (position, p) in participants.enumerated() {
            let row = InteractionParticipant()
            row.interactionID = id
            row.position = position
            row.partnerID = p.partnerId
            row.contactPersonID = p.contactPersonId
            row.userID = p.userId
            row.name = p.name.cleaned
            row.address = p.address.cleaned
            try await row.create(on: db)
        }
        guard let recipients else { return }
        try await SMSRecipient.query(on: db).filter(\.$interactionID == id).delete()
        for (position, r) in recipients.enumerated() {
            let row = SMSRecipient()
            row.interactionID = id
            row.position = position
            row.phone = Phone.normalize(r.phone)
            row.state = r.state ?? .queued
            row.error = r.error
            row.attempts = 0
            try await row.create(on: db)
        }
    }
}
