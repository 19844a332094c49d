import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Deals are seen through their partner's access group (DOMAIN.md §9). Creating and editing
/// go through here; status and stage change only through `DealTransitions`.
struct DealService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    let zone: TimeZone

    var today: CalendarDate { CalendarDate(Date(), in: zone) }

    /// The parts of a deal kept in tables of their own, for the snapshots the audit compares.
    struct Parts: Sendable {
        var participants: [DealParticipantDTO]
        var demand: [DemandLineDTO]
        var source: SourceDTO?

        init(participants: [DealParticipantDTO], demand: [DemandLineDTO], source: SourceDTO?) {
            self.participants = participants
            self.demand = demand
            self.source = source
        }

        /// The parts a snapshot carries.
        init(of dto: DealDTO) {
            self.init(participants: dto.participants, demand: dto.demand, source: dto.source)
        }
    }

    func parts(of ids: [UUID]) async throws -> [UUID: Parts] {
        guard !ids.isEmpty else { return [:] }
        let participants = Dictionary(grouping: try await DealParticipant.query(on: db).filter(\.$dealID ~~ ids).sort(\.$position).all(), by: \.dealID)
        let demand = Dictionary(grouping: try await DemandLine.query(on: db).filter(\.$dealID ~~ ids).sort(\.$position).all(), by: \.dealID)
        let sources = try await PrimaryInterest.query(on: db).filter(\.$dealID ~~ ids.map { Optional($0) }).all()
        var result: [UUID: Parts] = [:]
        for id in ids {
            let source = sources.first { $0.dealID == id }.map {
                SourceDTO(channelId: $0.channelID, eventId: $0.eventID, referrerPartnerId: $0.referrerPartnerID, note: $0.note)
            }
            result[id] = Parts(
                participants: (participants[id] ?? []).map {
                    DealParticipantDTO(partnerId: $0.partnerID, role: $0.role, contactPersonId: $0.contactPersonID,
                                       contactRole: $0.contactRole, wonDeal: $0.wonDeal)
                },
                demand: (demand[id] ?? []).map {
                    DemandLineDTO(description: $0.description, amount: $0.amountCents.map(Money.decimal(cents:)),
                                  satisfiedPercent: $0.satisfiedPercent, unsatisfiedReasonId: $0.unsatisfiedReasonID)
                },
                source: source)
        }
        return result
    }

    /// What the user sees: participants whose partner is hidden from them are left out (and
    /// kept when they save the list; see `update`).
    func dtos(_ deals: [Deal]) async throws -> [DealDTO] {
        let parts = try await parts(of: deals.map { try $0.requireID() })
        let rates = try await DealWinRates.load(for: deals, on: db)
        let visible = try await visiblePartners(among: parts.values.flatMap { $0.participants.map(\.partnerId) })
        return try deals.map { deal in
            let p = parts[try deal.requireID()] ?? Parts(participants: [], demand: [], source: nil)
            return try DealDTO(deal, participants: p.participants.filter { visible?.contains($0.partnerId) ?? true },
                               demand: p.demand, source: p.source, probability: rates.probability(of: deal))
        }
    }

    func dto(_ deal: Deal) async throws -> DealDTO { try await dtos([deal])[0] }

    /// The whole deal as the audit log compares it: every participant, no probability.
    func snapshot(_ deal: Deal) async throws -> DealDTO {
        let p = try await parts(of: [deal.requireID()])[deal.requireID()] ?? Parts(participants: [], demand: [], source: nil)
        return try DealDTO(deal, participants: p.participants, demand: p.demand, source: p.source, probability: nil)
    }

    /// The partners among `ids` the user may see; nil when they see every partner.
    func visiblePartners(among ids: [UUID]) async throws -> Set<UUID>? {
        guard scope != .all else { return nil }
        guard !ids.isEmpty else { return [] }
        return Set(try await PartnerQueries.scoped(scope, on: db).filter(\.$id ~~ Set(ids)).all(\.$id))
    }

    func writer(_ parts: Parts) -> RecordWriter<Deal> {
        RecordWriter(db: db, author: author) {
            try DealDTO($0, participants: parts.participants, demand: parts.demand, source: parts.source, probability: nil)
        }
    }

    func create(_ input: DealInput) async throws -> Deal {
        var errors = input.validate(current: nil)
        let kind = try await checkReferences(input, current: nil, into: &errors)
        try errors.check()
        guard let kind else { throw FieldErrors("kindId", "names a deal kind that does not exist") }
        let deal = Deal()
        deal.id = TimeOrderedID.make()
        deal.status = .open
        deal.closed = false
        deal.currency = "RUB"
        deal.startDate = today.description
        apply(input, to: deal, clearing: [])
        let parts = Parts(participants: input.participants ?? [], demand: input.demand ?? [], source: input.source)
        let firstStage = kind.type == .free ? nil : try await DealStage.query(on: db).filter(\.$kindID == deal.kindID).sort(\.$position).first()
        deal.stageID = firstStage?.id
        try await db.writeTransaction { tx in
            deal.number = try await Self.nextNumber(on: tx)
            deal.searchText = SearchText.normalize(deal.name, deal.comment, String(deal.number))
            try await self.on(tx).writer(parts).create(deal) { tx in
                try await saveParts(parts, of: deal, on: tx)
                if let firstStage {
                    let transitions = DealTransitions(service: self.on(tx))
                    try await transitions.enter(deal, stage: firstStage, now: Date(), on: tx)
                }
            }
        }
        return deal
    }

    func update(_ deal: Deal, with input: DealInput, clearing: Set<String>) async throws {
        var errors = input.validate(current: deal)
        _ = try await checkReferences(input, current: deal, into: &errors)
        try errors.check()
        let before = try await snapshot(deal)
        var parts = Parts(of: before)
        if let participants = input.participants {
            // The participants hidden from this user stay: they could neither see nor remove them.
            let visible = try await visiblePartners(among: before.participants.map(\.partnerId))
            parts.participants = participants + before.participants.filter { !(visible?.contains($0.partnerId) ?? true) }
        }
        if let demand = input.demand { parts.demand = demand }
        if let source = input.source { parts.source = source }
        let responsibleBefore = deal.responsibleID
        let outcomeBefore = try await outcome(of: deal)
        apply(input, to: deal, clearing: clearing.intersection(DealInput.clearable))
        let saved = parts
        try await writer(parts).update(deal, before: before, expectedVersion: input.version) { tx in
            try await saveParts(saved, of: deal, on: tx, only: input)
            try await DealTransitions(service: self.on(tx)).followEdit(deal, responsibleBefore: responsibleBefore, on: tx)
            // A closed deal given to another partner or manager moves its counts with it.
            try await DealWinTallies.record(from: outcomeBefore, to: outcomeBefore.map { DealOutcome(deal, stageIDs: $0.stageIDs) }, on: tx)
        }
    }

    /// Marks the deal for deletion or restores it; a marked closed deal leaves the win rates.
    func setDeletionMark(_ deal: Deal, to mark: Bool, expectedVersion: Int?) async throws {
        let writer = writer(Parts(of: try await snapshot(deal)))
        let before = try await outcome(of: deal)
        let after = before.map { outcome in
            var marked = outcome
            marked.deletionMark = mark
            return marked
        }
        let record: @Sendable (any Database) async throws -> Void = { tx in try await DealWinTallies.record(from: before, to: after, on: tx) }
        try await writer.setDeletionMark(deal, to: mark, expectedVersion: expectedVersion, extra: record)
    }

    /// What the deal adds to the win rates now; nil for an open deal, which adds nothing.
    func outcome(of deal: Deal) async throws -> DealOutcome? {
        guard deal.status != .open else { return nil }
        let stages = try await DealStageRow.query(on: db).filter(\.$dealID == deal.requireID()).all(\.$stageID)
        return DealOutcome(deal, stageIDs: stages)
    }

    func on(_ other: any Database) -> DealService {
        DealService(db: other, author: author, scope: scope, zone: zone)
    }

    private func apply(_ input: DealInput, to d: Deal, clearing: Set<String>) {
        if let name = input.name.cleaned { d.name = name }
        if let partner = input.partnerId { d.partnerID = partner }
        if let kind = input.kindId { d.kindID = kind }
        if let date = input.startDate.cleaned { d.startDate = date }
        if let date = input.endDate { d.endDate = date.cleaned }
        if let user = input.responsibleId { d.responsibleID = user }
        if let amount = input.potentialAmount { d.potentialCents = Money.cents(amount) }
        if let currency = input.currency { d.currency = currency.uppercased() }
        if let p = input.managerProbability { d.managerProbability = p }
        if let agreement = input.agreementId { d.agreementID = agreement }
        if let comment = input.comment { d.comment = comment.cleaned }
        for field in clearing {
            switch field {
            case "responsibleId": d.responsibleID = nil
            case "potentialAmount": d.potentialCents = nil
            case "managerProbability": d.managerProbability = nil
            case "agreementId": d.agreementID = nil
            case "endDate": d.endDate = nil
            case "comment": d.comment = nil
            default: break
            }
        }
        d.searchText = SearchText.normalize(d.name, d.comment, d.$number.value.map(String.init))
    }

    /// `UPDATE … RETURNING` takes the row lock, so two concurrent creations never share a number.
    static func nextNumber(on db: any Database) async throws -> Int {
        try await Sequences.next("deal", on: db)
    }
}

extension DealService: RecordService {
    static let noun = "deal"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope, zone: context.zone)
    }

    func visible(_ id: UUID) async throws -> Deal? {
        try await DealQueries.scoped(scope, on: db).filter(\.$id == id).first()
    }
}
