import Fluent
import SdelkaCore
import Vapor

extension DealService {
    /// The checks that need the database; answers the deal's kind.
    func checkReferences(_ input: DealInput, current: Deal?, into errors: inout FieldErrors) async throws -> DealKind? {
        var kind: DealKind?
        if let id = input.kindId ?? current?.kindID {
            kind = try await DealKind.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).first()
            if kind == nil { errors.add("kindId", "names a deal kind that does not exist") }
            else if current == nil && kind?.allowed == false { errors.add("kindId", "is not allowed for new deals") }
        }
        if let partner = input.partnerId, partner != current?.partnerID,
           try await !PartnerQueries.isLive(partner, scope: scope, on: db) {
            errors.add("partnerId", "names a partner that does not exist")
        }
        if let user = input.responsibleId, user != current?.responsibleID, try await !UserReads.isActive(user, on: db) {
            errors.add("responsibleId", "names a user that does not exist or is not active")
        }
        if let id = input.agreementId, id != current?.agreementID || input.partnerId != nil {
            if let agreement = try await Agreement.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).first() {
                let owner = try await Counterparty.find(agreement.counterpartyID, on: db)?.partnerID
                if owner != (input.partnerId ?? current?.partnerID) { errors.add("agreementId", "is an agreement with another partner") }
            } else {
                errors.add("agreementId", "names an agreement that does not exist")
            }
        }
        if let source = input.source { try await InterestSources.check(source, scope: scope, on: db, into: &errors) }
        if let demand = input.demand, !demand.isEmpty {
            if let kind, !kind.useDemand { errors.add("demand", "the deal kind does not record primary demand") }
            let reasons = Set(demand.compactMap(\.unsatisfiedReasonId))
            let known = Set(try await UnsatisfiedReason.query(on: db).filter(\.$id ~~ reasons).all(\.$id))
            for (index, line) in demand.enumerated() {
                if let reason = line.unsatisfiedReasonId, !known.contains(reason) {
                    errors.add("demand.\(index).unsatisfiedReasonId", "names a reason that does not exist")
                }
            }
        }
        try await ParticipantChecks.check((input.participants ?? []).map { ($0.partnerId, $0.contactPersonId) },
                                          scope: scope, on: db, into: &errors)
        return kind
    }

    /// Rewrites the lists the input carries (all of them when `only` is nil).
    func saveParts(_ parts: Parts, of deal: Deal, on tx: any Database, only input: DealInput? = nil) async throws {
        let id = try deal.requireID()
        if input == nil || input?.participants != nil { try await Self.saveParticipants(parts.participants, of: id, on: tx) }
        if input == nil || input?.demand != nil {
            try await DemandLine.query(on: tx).filter(\.$dealID == id).delete()
            for (position, line) in parts.demand.enumerated() {
                let row = DemandLine()
                row.dealID = id
                row.position = position
                row.description = line.description.cleaned ?? line.description
                row.amountCents = line.amount.flatMap(Money.cents)
                row.satisfiedPercent = line.satisfiedPercent ?? 0
                row.unsatisfiedReasonID = line.unsatisfiedReasonId
                try await row.create(on: tx)
            }
        }
        if let source = parts.source, input == nil || input?.source != nil {
            let record = try await PrimaryInterest.query(on: tx).filter(\.$dealID == id).first() ?? PrimaryInterest()
            record.partnerID = deal.partnerID
            record.dealID = id
            record.channelID = source.channelId
            record.eventID = source.eventId
            record.referrerPartnerID = source.referrerPartnerId
            record.note = source.note.cleaned
            try await record.save(on: tx)
        }
    }

    static func saveParticipants(_ participants: [DealParticipantDTO], of dealID: UUID, on tx: any Database) async throws {
        try await DealParticipant.query(on: tx).filter(\.$dealID == dealID).delete()
        for (position, p) in participants.enumerated() {
            let row = DealParticipant()
            row.dealID = dealID
            row.position = position
            row.partnerID = p.partnerId
            row.role = p.role.cleaned
            row.contactPersonID = p.contactPersonId
            row.contactRole = p.contactRole.cleaned
            row.wonDeal = p.wonDeal ?? false
            try await row.create(on: tx)
        }
    }
}
