import Fluent
import Foundation
import SdelkaCore

/// The rules of writing claims (DOMAIN.md §7): what a claim names must exist and belong to its
/// partner, a number names one claim, the status moves registered → in process → satisfied or
/// not satisfied (and back to in process when reopened), and the responsible manager is given
/// a planned contact to deal with it.
struct ClaimService: RecordService {
    static let noun = "claim"

    let context: ServiceContext
    var db: any Database { context.db }
    var scope: AccessScope { context.scope }

    init(_ context: ServiceContext) { self.context = context }

    func on(_ tx: any Database) -> ClaimService {
        ClaimService(ServiceContext(db: tx, author: context.author, scope: scope, config: context.config))
    }

    func visible(_ id: UUID) async throws -> Claim? {
        try await ClaimQueries.scoped(scope, on: db).filter(\.$id == id).first()
    }

    func dto(_ claim: Claim) async throws -> ClaimDTO { try ClaimDTO(claim) }

    func create(_ input: ClaimInput) async throws -> Claim {
        var errors = input.validate(current: nil)
        let claim = Claim()
        claim.id = TimeOrderedID.make()
        claim.number = ""
        claim.date = context.today.description
        claim.details = ""
        claim.status = .registered
        claim.responsibleID = context.author.userID
        apply(input, to: claim, clearing: [])
        try await checkReferences(claim, creating: true, into: &errors)
        try errors.check()
        try await db.writeTransaction { tx in
            let inside = on(tx)
            if claim.number.isEmpty {
                let next = String(try await Sequences.next("claim", on: tx))
                claim.number = String(repeating: "0", count: max(0, 6 - next.count)) + next
                claim.searchText = SearchText.normalize(claim.number, claim.details)
            }
            try await inside.writer.create(claim) { _ in try await inside.assignTask(for: claim) }
        }
        return claim
    }

    func update(_ claim: Claim, with input: ClaimInput, clearing: Set<String>) async throws {
        var errors = input.validate(current: claim)
        if let partner = input.partnerId, partner != claim.partnerID {
            errors.add("partnerId", "cannot change; register the claim for the other partner anew")
        }
        let before = try ClaimDTO(claim)
        let responsible = claim.responsibleID
        apply(input, to: claim, clearing: clearing)
        try await checkReferences(claim, creating: false, into: &errors)
        try errors.check()
        try await writer.update(claim, before: before, expectedVersion: input.version) { tx in
            if claim.responsibleID != responsible, !claim.status.isClosed { try await on(tx).assignTask(for: claim) }
        }
    }

    func setDeletionMark(_ claim: Claim, to mark: Bool, expectedVersion: Int?) async throws {
        try await writer.setDeletionMark(claim, to: mark, expectedVersion: expectedVersion)
    }

    /// Moves the claim to the next status; closing records the outcome and the day it closed,
    /// reopening clears the day (the outcome stays until it closes again).
    func changeStatus(_ claim: Claim, _ input: ClaimStatusInput) async throws {
        var errors = FieldErrors()
        if !claim.status.mayMove(to: input.status) {
            errors.add("status", "may move only to: " + claim.status.next.map(\.rawValue).joined(separator: ", "))
        }
        if let result = input.result, result.count > 10_000 { errors.add("result", "must be at most 10000 characters") }
        var settled: Int64?
        if let amount = input.settledAmount {
            if amount < 0 { errors.add("settledAmount", "must not be negative") }
            else if let cents = Money.cents(amount) { settled = cents } else { errors.add("settledAmount", Money.amountMessage) }
        }
        var closedOn = context.today
        if let text = input.closedOn {
            if let day = CalendarDate(accepting: text) { closedOn = day } else { errors.add("closedOn", CalendarDate.acceptedMessage) }
        }
        let days = CalendarDate(claim.date).map { closedOn.dayNumber - $0.dayNumber } ?? 0
        if input.status.isClosed, days < 0 { errors.add("closedOn", "must not be before the claim's date: \(claim.date)") }
        try errors.check()
        let before = try ClaimDTO(claim)
        claim.status = input.status
        if let result = input.result { claim.result = result.cleaned }
        if input.settledAmount != nil { claim.settledCents = settled }
        if input.status.isClosed {
            claim.closedOn = closedOn.description
            claim.daysToClose = days
        } else {
            claim.closedOn = nil
            claim.daysToClose = nil
        }
        try await writer.update(claim, before: before, expectedVersion: input.version)
    }

    private var writer: RecordWriter<Claim> {
        RecordWriter(db: db, author: context.author) { try ClaimDTO($0) }
    }

    private func apply(_ input: ClaimInput, to claim: Claim, clearing: Set<String>) {
        if let number = input.number.cleaned { claim.number = number }
        if let date = input.date.flatMap(CalendarDate.init(accepting:)) { claim.date = date.description }
        if let partner = input.partnerId, claim.$partnerID.value == nil { claim.partnerID = partner }
        if let text = input.description.cleaned { claim.details = text }
        if let amount = input.amount { claim.amountCents = Money.cents(amount) }
        if let basis = input.basis { claim.basisType = basis.type; claim.basisID = basis.id }
        if let id = input.counterpartyId { claim.counterpartyID = id }
        if let id = input.contactPersonId { claim.contactPersonID = id }
        if let id = input.causeId { claim.causeID = id }
        if let id = input.departmentId { claim.departmentID = id }
        if let id = input.guiltyUserId { claim.guiltyUserID = id }
        if let id = input.responsibleId { claim.responsibleID = id }
        if clearing.contains("counterpartyId") { claim.counterpartyID = nil }
        if clearing.contains("contactPersonId") { claim.contactPersonID = nil }
        if clearing.contains("amount") { claim.amountCents = nil }
        if clearing.contains("basis") { claim.basisType = nil; claim.basisID = nil }
        if clearing.contains("causeId") { claim.causeID = nil }
        if clearing.contains("departmentId") { claim.departmentID = nil }
        if clearing.contains("guiltyUserId") { claim.guiltyUserID = nil }
        if clearing.contains("responsibleId") { claim.responsibleID = nil }
        claim.searchText = SearchText.normalize(claim.number, claim.details)
    }

    /// What the claim names exists, is live, and belongs to its partner; the partner is one the
    /// user sees.
    private func checkReferences(_ claim: Claim, creating: Bool, into errors: inout FieldErrors) async throws {
        if !claim.number.isEmpty {
            let twins = Claim.query(on: db).filter(\.$number == claim.number)
            if let id = claim.id, !creating { twins.filter(\.$id != id) }
            if try await twins.count() > 0 { errors.add("number", "is already the number of another claim") }
        }
        guard claim.$partnerID.value != nil else { return }
        let partner = claim.partnerID
        if creating, !(try await PartnerQueries.isLive(partner, scope: scope, on: db)) {
            errors.add("partnerId", "names a partner that does not exist")
        }
        if let id = claim.counterpartyID,
           try await Counterparty.query(on: db).filter(\.$id == id).filter(\.$partnerID == partner).filter(\.$deletionMark == false).count() == 0 {
            errors.add("counterpartyId", "is not a counterparty of this partner")
        }
        if let id = claim.contactPersonID,
           try await ContactPerson.query(on: db).filter(\.$id == id).filter(\.$partnerID == partner).filter(\.$deletionMark == false).count() == 0 {
            errors.add("contactPersonId", "is not a contact person of this partner")
        }
        if let id = claim.causeID, try await ClaimCause.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
            errors.add("causeId", "names a claim cause that does not exist")
        }
        if let id = claim.departmentID, try await ClaimDepartment.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
            errors.add("departmentId", "names a department that does not exist")
        }
        for (field, id) in [("guiltyUserId", claim.guiltyUserID), ("responsibleId", claim.responsibleID)] {
            if let id, try await User.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
                errors.add(field, "names a user that does not exist")
            }
        }
        if let type = claim.basisType, let id = claim.basisID, !(try await basisExists(type, id, partner: partner)) {
            errors.add("basis.id", "names a document of another partner or none")
        }
    }

    private func basisExists(_ type: Claim.BasisType, _ id: UUID, partner: UUID) async throws -> Bool {
        switch type {
        case .sale: return try await SaleQueries.scoped(scope, on: db).filter(\.$id == id).filter(\.$partnerID == partner).count() > 0
        case .deal: return try await DealQueries.scoped(scope, on: db).filter(\.$id == id).filter(\.$partnerID == partner).count() > 0
        case .interaction:
            return try await InteractionQueries.scoped(scope, userID: context.author.userID, on: db).filter(\.$id == id).count() > 0
        }
    }

    /// The responsible manager's task: a planned contact with the client about the claim,
    /// for the next morning, when interactions are switched on.
    private func assignTask(for claim: Claim) async throws {
        guard let responsible = claim.responsibleID,
              try await SettingsStore.features(on: db).isEnabled(.interactions) else { return }
        var task = InteractionInput()
        task.type = .planned
        task.topic = "Претензия № \(claim.number): рассмотреть"
        task.description = String(claim.details.prefix(2_000))
        task.plannedAt = context.today.next.start(in: context.zone).addingTimeInterval(10 * 3_600)
        task.responsibleId = responsible
        task.subject = InteractionSubjectDTO(type: .claim, id: try claim.requireID())
        task.participants = [InteractionParticipantDTO(partnerId: claim.partnerID, contactPersonId: claim.contactPersonID)]
        _ = try await InteractionService(context).create(task)
    }
}
