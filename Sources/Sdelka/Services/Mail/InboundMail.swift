import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// Registers a received letter (raw RFC 822) as an incoming e-mail interaction: the sender is
/// found among contact persons and partners by address, a reply threads into the chain of the
/// letter it answers (`In-Reply-To`, then `References`, matched against the Message-IDs of
/// letters we sent or received), and the files come along. The same letter delivered twice
/// (same Message-ID) is registered once.
struct InboundMail {
    let service: InteractionService

    struct Result {
        var interaction: Interaction
        var duplicate: Bool
    }

    static let attachmentLimit = 25 * 1024 * 1024
    /// Who the audit names for letters registered by the mail system rather than by a user.
    static let author = ChangeAuthor(userID: nil, login: "inbound-mail")

    func register(_ raw: [UInt8]) async throws -> Result {
        let db = service.db
        // The route and the command stand outside the `interactions` switch's route group.
        guard try await SettingsStore.features(on: db).isEnabled(.interactions) else { throw FeatureOff(.interactions) }
        let mail: ParsedMail
        do { mail = try ParsedMail(raw) } catch ParsedMail.Failure.tooDeep {
            throw FieldErrors("message", "nests its MIME parts deeper than \(ParsedMail.maxDepth) levels")
        } catch ParsedMail.Failure.tooManyParts {
            throw FieldErrors("message", "has more than \(ParsedMail.maxParts) MIME parts")
        } catch { throw FieldErrors("message", "is not an RFC 822 message: no headers") }
        guard let sender = mail.from.first else { throw FieldErrors("message", "has no From address") }
        if let id = mail.messageID, let known = try await Interaction.query(on: db).filter(\.$messageID == id)
            .filter(\.$type == .email).filter(\.$incoming == true).first() {
            return Result(interaction: known, duplicate: true)
        }
        let match = try await Self.owner(of: sender.address, on: db)
        let basis = try await thread(mail)
        let responsible = try await responsible(basis: basis, partner: match?.partnerID, to: mail.to + mail.cc)
        var input = InteractionInput()
        input.type = .email
        input.topic = mail.subject.isEmpty ? "(без темы)" : String(mail.subject.prefix(500))
        input.incoming = true
        input.status = .received
        input.from = sender.display
        input.to = mail.to.map(\.display).joined(separator: ", ")
        input.cc = mail.cc.map(\.display).joined(separator: ", ")
        input.bodyText = mail.text
        input.bodyHtml = mail.html
        input.basisId = try basis?.requireID()
        input.responsibleId = responsible
        input.participants = [InteractionParticipantDTO(partnerId: match?.partnerID, contactPersonId: match?.contactPersonID, userId: nil,
                                                        name: sender.name, address: sender.address.lowercased())]
        input.attachments = mail.attachments.map { AttachmentInput(id: nil, filename: $0.filename, contentType: $0.contentType, content: Data($0.data).base64EncodedString()) }
        var receiving = service
        receiving.attachmentLimit = Self.attachmentLimit
        receiving.attachmentCountLimit = ParsedMail.maxParts
        receiving.receivedHeaders = (mail.messageID, mail.references.isEmpty ? mail.inReplyTo : mail.references)
        let interaction = try await receiving.create(input)
        try await unsubscribeIfAsked(mail, sender: sender, on: db)
        if let date = mail.date {
            // When it was written, not when it reached us.
            try await db.sql.update(Interaction.schema).set("sent_at", to: SQLBind(date)).where("id", .equal, SQLBind(try interaction.requireID())).run()
            interaction.sentAt = date
        }
        return Result(interaction: interaction, duplicate: false)
    }

    struct Owner: Equatable { var partnerID: UUID; var contactPersonID: UUID? }

    /// A letter to the `mailto:` of `List-Unsubscribe` carries the recipient's token in its
    /// subject; it counts only from the address the token was sent to.
    private func unsubscribeIfAsked(_ mail: ParsedMail, sender: MailAddress, on db: any Database) async throws {
        let prefix = MailingUnsubscribeHeaders.mailtoSubjectPrefix
        let subject = mail.subject.trimmingCharacters(in: .whitespaces)
        guard subject.lowercased().hasPrefix(prefix) else { return }
        let token = String(subject.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        guard let link = try await UnsubscribeLink.find(token, on: db), link.recipient.address == sender.address.lowercased() else { return }
        try await link.unsubscribe(how: "mailto", on: db, author: Self.author)
    }

    /// Whose address this is: a contact person's before a partner's or counterparty's (a
    /// person tells more), live partners only, the oldest first when several share it.
    static func owner(of address: String, on db: any Database) async throws -> Owner? {
        let details = try await ContactDetail.query(on: db).filter(\.$type == .email)
            .filter(\.$normalized == ContactDetail.normalize(address, type: .email)).all()
        guard !details.isEmpty else { return nil }
        let live = Set(try await Partner.query(on: db).filter(\.$id ~~ Set(details.map(\.partnerID))).filter(\.$deletionMark == false).all(\.$id))
        let ranked = details.filter { live.contains($0.partnerID) }
            .sorted { ($0.ownerType == .contactPerson ? 0 : 1, $0.partnerID.uuidString) < ($1.ownerType == .contactPerson ? 0 : 1, $1.partnerID.uuidString) }
        guard let best = ranked.first else { return nil }
        return Owner(partnerID: best.partnerID, contactPersonID: best.ownerType == .contactPerson ? best.ownerID : nil)
    }

    /// The letter this one answers: the one named in `In-Reply-To`, else the latest of
    /// `References` we know.
    private func thread(_ mail: ParsedMail) async throws -> Interaction? {
        let ids = mail.inReplyTo + mail.references.reversed()
        guard !ids.isEmpty else { return nil }
        let known = try await Interaction.query(on: service.db).filter(\.$messageID ~~ ids).filter(\.$deletionMark == false).all()
        for id in ids { if let found = known.first(where: { $0.messageID == id }) { return found } }
        return nil
    }

    /// Who should read it: whoever handles the chain, else one of our users it was written
    /// to, else the partner's main manager.
    private func responsible(basis: Interaction?, partner: UUID?, to recipients: [MailAddress]) async throws -> UUID? {
        if let user = basis?.responsibleID { return user }
        let addresses = recipients.map { $0.address.lowercased() }
        if !addresses.isEmpty, let user = try await User.query(on: service.db).filter(\.$active == true).all()
            .first(where: { $0.email.map { addresses.contains($0.lowercased()) } ?? false }) {
            return user.id
        }
        guard let partner else { return nil }
        return try await Partner.find(partner, on: service.db)?.mainManagerID
    }
}
