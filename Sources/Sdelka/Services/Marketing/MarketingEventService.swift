import Fluent
import SdelkaCore
import Vapor

/// Marketing events are not access-scoped themselves, but their participants are: a user sees
/// only participants whose partner they may see, and saving the list never drops the ones
/// hidden from them.
struct MarketingEventService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope

    func participants(of eventIDs: [UUID], visibleOnly: Bool = true) async throws -> [UUID: [EventParticipant]] {
        guard !eventIDs.isEmpty else { return [:] }
        let query = EventParticipant.query(on: db).filter(\.$eventID ~~ eventIDs)
        if visibleOnly {
            query.join(Partner.self, on: \EventParticipant.$partnerID == \Partner.$id)
            _ = scope.apply(to: query, joined: Partner.self, groupField: \.$accessGroupID)  // the builder is changed in place
        }
        let rows = try await query.sort(\.$position).all()
        return Dictionary(grouping: rows, by: \.eventID)
    }

    func dtos(_ events: [MarketingEvent]) async throws -> [MarketingEventDTO] {
        let byEvent = try await participants(of: events.map { try $0.requireID() })
        return try events.map { try MarketingEventDTO($0, participants: (byEvent[$0.requireID()] ?? []).map(Self.dto)) }
    }

    func dto(_ event: MarketingEvent) async throws -> MarketingEventDTO { try await dtos([event])[0] }

    static func dto(_ p: EventParticipant) -> EventParticipantDTO {
        EventParticipantDTO(partnerId: p.partnerID, contactPersonId: p.contactPersonID, role: p.role,
                            invited: p.invited, attended: p.attended)
    }

    func create(_ input: MarketingEventInput) async throws -> MarketingEvent {
        var errors = input.validate(current: nil)
        try await checkReferences(input, into: &errors)
        try errors.check()
        let event = MarketingEvent()
        event.finished = false
        apply(input, to: event)
        let participants = input.participants ?? []
        try await writer(participants: participants).create(event) { tx in
            try await Self.replaceParticipants(of: event, with: participants, on: tx)
        }
        return event
    }

    func update(_ event: MarketingEvent, with input: MarketingEventInput) async throws {
        var errors = input.validate(current: event)
        try await checkReferences(input, into: &errors)
        try errors.check()
        let before = try await dto(event)
        apply(input, to: event)
        var all = before.participants
        if let visible = input.participants {
            let shown = Set(before.participants.map(\.partnerId))
            let hidden = try await participants(of: [event.requireID()], visibleOnly: false)[event.requireID(), default: []]
                .filter { !shown.contains($0.partnerID) }.map(Self.dto)
            all = visible + hidden
        }
        let saved = all
        try await writer(participants: input.participants ?? before.participants)
            .update(event, before: before, expectedVersion: input.version) { tx in
                if input.participants != nil { try await Self.replaceParticipants(of: event, with: saved, on: tx) }
            }
    }

    func writer(participants: [EventParticipantDTO]) -> RecordWriter<MarketingEvent> {
        RecordWriter(db: db, author: author) { try MarketingEventDTO($0, participants: participants) }
    }

    private func apply(_ input: MarketingEventInput, to e: MarketingEvent) {
        if let name = input.name.cleaned { e.name = name }
        if let kind = input.kind { e.kind = kind.cleaned }
        if let channel = input.channelId { e.channelID = channel }
        if let date = input.plannedStart.cleaned { e.plannedStart = date }
        if let date = input.plannedEnd.cleaned { e.plannedEnd = date }
        if let date = input.actualStart { e.actualStart = date.cleaned }
        if let date = input.actualEnd { e.actualEnd = date.cleaned }
        if let user = input.responsibleId { e.responsibleID = user }
        if let segment = input.targetSegmentId { e.targetSegmentID = segment }
        if let finished = input.finished { e.finished = finished }
        if let budget = input.budget { e.budgetCents = Money.cents(budget) }
        if let cost = input.actualCost { e.actualCostCents = Money.cents(cost) }
        if let comment = input.comment { e.comment = comment.cleaned }
        e.searchText = SearchText.normalize(e.name, e.kind, e.comment)
    }

    private func checkReferences(_ input: MarketingEventInput, into errors: inout FieldErrors) async throws {
        if let channel = input.channelId,
           try await Channel.query(on: db).filter(\.$id == channel).filter(\.$deletionMark == false).count() == 0 {
            errors.add("channelId", "names a channel that does not exist")
        }
        if let user = input.responsibleId, try await !UserReads.isActive(user, on: db) {
            errors.add("responsibleId", "names a user that does not exist or is not active")
        }
        if let segment = input.targetSegmentId,
           try await Segment.query(on: db).filter(\.$id == segment).filter(\.$deletionMark == false).count() == 0 {
            errors.add("targetSegmentId", "names a segment that does not exist")
        }
        try await ParticipantChecks.check((input.participants ?? []).map { ($0.partnerId, $0.contactPersonId) },
                                          scope: scope, on: db, into: &errors)
    }

    static func replaceParticipants(of event: MarketingEvent, with participants: [EventParticipantDTO], on db: any Database) async throws {
        let id = try event.requireID()
        try await EventParticipant.query(on: db).filter(\.$eventID == id).delete()
        for (position, p) in participants.enumerated() {
            let row = EventParticipant()
            row.eventID = id
            row.position = position
            row.partnerID = p.partnerId
            row.contactPersonID = p.contactPersonId
            row.role = p.role.cleaned
            row.invited = p.invited
            row.attended = p.attended
            try await row.create(on: db)
        }
    }
}

extension MarketingEventService: RecordService {
    static let noun = "marketing event"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope)
    }

    /// Events are not partner records: everyone sees every event, and its hidden participants
    /// are left out of what they see.
    func visible(_ id: UUID) async throws -> MarketingEvent? {
        try await MarketingEvent.find(id, on: db)
    }

    func update(_ event: MarketingEvent, with input: MarketingEventInput, clearing: Set<String>) async throws {
        try await update(event, with: input)
    }

    func setDeletionMark(_ event: MarketingEvent, to mark: Bool, expectedVersion: Int?) async throws {
        let writer = writer(participants: try await dto(event).participants)
        try await writer.setDeletionMark(event, to: mark, expectedVersion: expectedVersion)
    }
}
