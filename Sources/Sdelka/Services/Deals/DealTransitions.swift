import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Stage changes, win, loss and reopening of a deal: the rules live in `StageStatistics`; here
/// they are loaded, applied and written back with the deal in one audited transaction, and
/// the checklist of a `process` kind becomes tasks and guards the way forward.
struct DealTransitions: Sendable {
    let service: DealService
    var db: any Database { service.db }

    func rows(of deal: Deal, on db: any Database) async throws -> [DealStageRow] {
        try await DealStageRow.query(on: db).filter(\.$dealID == deal.requireID()).sort(\.$stageOrder).all()
    }

    func statistics(_ deal: Deal, rows: [DealStageRow]) -> StageStatistics {
        StageStatistics(rows: rows.map(\.core), potentialCents: deal.potentialCents, responsibleID: deal.responsibleID, zone: service.zone)
    }

    /// A new deal of a staged kind starts at the first stage.
    func enter(_ deal: Deal, stage: DealStage, now: Date, on tx: any Database) async throws {
        var stats = statistics(deal, rows: [])
        stats.start(at: StageRef(id: try stage.requireID(), order: stage.position), now: now)
        try await save(stats, of: deal, replacing: [], on: tx)
        try await createTasks(for: deal, stage: stage, on: tx)
    }

    /// After an edit: the open row follows the potential and the responsible, and so do the
    /// deal's open tasks.
    func followEdit(_ deal: Deal, responsibleBefore: UUID?, on tx: any Database) async throws {
        let stored = try await rows(of: deal, on: tx)
        var stats = statistics(deal, rows: stored)
        stats.refreshOpenRow()
        try await save(stats, of: deal, replacing: stored, on: tx)
        if responsibleBefore != deal.responsibleID {
            try await DealTask.query(on: tx).filter(\.$dealID == deal.requireID()).filter(\.$done == false)
                .set(\.$responsibleID, to: deal.responsibleID).update()
        }
    }

    func move(_ deal: Deal, to stageID: UUID, override: Bool, canOverride: Bool, expectedVersion: Int?) async throws {
        guard deal.status == .open else { throw RuleConflict("deal_closed", "The deal is closed; reopen it before moving it between stages.") }
        guard let kind = try await DealKind.find(deal.kindID, on: db), kind.type != .free else {
            throw FieldErrors("stageId", "the deal's kind has no stages")
        }
        let stages = try await DealStage.query(on: db).filter(\.$kindID == deal.kindID).sort(\.$position).all()
        guard let target = stages.first(where: { $0.id == stageID }) else {
            throw FieldErrors("stageId", "is not a stage of the deal's kind")
        }
        let stored = try await rows(of: deal, on: db)
        var stats = statistics(deal, rows: stored)
        let currentOrder = stats.current?.order ?? 0
        var blockers: [String] = []
        if kind.type == .process && target.position > currentOrder {
            blockers = try await openRequiredActions(of: deal, stages: stages.filter { $0.position >= currentOrder && $0.position < target.position })
            if !blockers.isEmpty && !override {
                throw ChecklistBlocked(actions: blockers)
            }
            if !blockers.isEmpty && !canOverride { throw NotAllowed() }
        }
        let before = try await service.snapshot(deal)
        let refs = try stages.map { StageRef(id: try $0.requireID(), order: $0.position) }
        let now = Date()
        let closing = stats.current?.id
        let move = stats.move(to: StageRef(id: stageID, order: target.position), stages: refs, now: now)
        guard move != .none else { return }
        deal.stageID = stageID
        let (moved, overridden) = (stats, blockers)
        let author = service.author
        try await service.writer(.init(of: before))
            .update(deal, before: before, expectedVersion: expectedVersion) { tx in
                try await save(moved, of: deal, replacing: stored, on: tx)
                if case .backward(let removed) = move, !removed.isEmpty {
                    try await DealTask.query(on: tx).filter(\.$dealID == deal.requireID())
                        .filter(\.$stageID ~~ removed.map(\.stageID)).filter(\.$done == false).delete()
                }
                if kind.type == .process { try await createTasks(for: deal, stage: target, on: tx) }
                if !overridden.isEmpty, let closing, let userID = author.userID {
                    try await DealStageRow.query(on: tx).filter(\.$id == closing)
                        .set(\.$overrideBy, to: userID).set(\.$overrideAt, to: now).update()
                    try await Audit.record(.update, objectType: Deal.objectType, objectID: deal.requireID().uuidString,
                                           changes: [FieldChange(field: "checklistOverride", old: nil,
                                                                 new: .array(overridden.map { .string($0) }))],
                                           by: author, on: tx)
                }
            }
    }

    func win(_ deal: Deal, expectedVersion: Int?) async throws {
        guard deal.status == .open else { throw RuleConflict("deal_closed", "The deal is already closed.") }
        try await setOutcome(deal, to: .won, expectedVersion: expectedVersion) { _ in }
    }

    func lose(_ deal: Deal, reasonID: UUID?, competitorID: UUID?, expectedVersion: Int?) async throws {
        guard deal.status == .open else { throw RuleConflict("deal_closed", "The deal is already closed.") }
        var errors = FieldErrors()
        if let reasonID {
            if try await LossReason.query(on: db).filter(\.$id == reasonID).filter(\.$deletionMark == false).count() == 0 {
                errors.add("lossReasonId", "names a loss reason that does not exist")
            }
        } else {
            errors.add("lossReasonId", "is required: say why the deal was lost")
        }
        if let competitorID, try await !PartnerQueries.isLive(competitorID, scope: service.scope, on: db) {
            errors.add("competitorId", "names a partner that does not exist")
        }
        try errors.check()
        try await setOutcome(deal, to: .lost, lossReason: reasonID, expectedVersion: expectedVersion) { parts in
            guard let competitorID else { return }
            if !parts.participants.contains(where: { $0.partnerId == competitorID }) {
                parts.participants.append(DealParticipantDTO(partnerId: competitorID, role: "competitor", wonDeal: false))
            }
            for index in parts.participants.indices { parts.participants[index].wonDeal = parts.participants[index].partnerId == competitorID }
        }
    }

    func reopen(_ deal: Deal, expectedVersion: Int?) async throws {
        guard deal.status != .open else { throw RuleConflict("deal_open", "The deal is open already.") }
        try await setOutcome(deal, to: .open, expectedVersion: expectedVersion) { parts in
            for index in parts.participants.indices { parts.participants[index].wonDeal = false }
        }
    }

    /// Closes the deal (won or lost) or reopens it: the current stage row, the status, the
    /// participants and the win-rate counts change with the deal in one audited transaction.
    private func setOutcome(_ deal: Deal, to status: DealStatus, lossReason: UUID? = nil, expectedVersion: Int?,
                            adjust: (inout DealService.Parts) -> Void) async throws {
        let before = try await service.snapshot(deal)
        let stored = try await rows(of: deal, on: db)
        let outcomeBefore = DealOutcome(deal, stageIDs: stored.map(\.stageID))
        var changed = statistics(deal, rows: stored)
        switch status {
        case .open: changed.reopen()
        case .won: changed.close(with: .won, now: Date())
        case .lost: changed.close(with: .lost, now: Date())
        }
        let stats = changed
        deal.status = status
        deal.closed = status != .open
        deal.lossReasonID = lossReason
        if status != .open { deal.endDate = service.today.description }
        var parts = DealService.Parts(of: before)
        adjust(&parts)
        let saved = parts
        let outcomeAfter = DealOutcome(deal, stageIDs: stats.rows.map(\.stageID))
        try await service.writer(saved).update(deal, before: before, expectedVersion: expectedVersion) { tx in
            try await save(stats, of: deal, replacing: stored, on: tx)
            try await DealService.saveParticipants(saved.participants, of: deal.requireID(), on: tx)
            try await DealWinTallies.record(from: outcomeBefore, to: outcomeAfter, on: tx)
        }
    }

    /// Required actions still open at the stage being left, and required actions of the
    /// stages being skipped (never done, since the deal never stood there).
    private func openRequiredActions(of deal: Deal, stages: [DealStage]) async throws -> [String] {
        let ids = try stages.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let actions = try await ChecklistAction.query(on: db).filter(\.$stageID ~~ ids).filter(\.$required == true).all()
        let done = Set(try await DealTask.query(on: db).filter(\.$dealID == deal.requireID()).filter(\.$done == true).all(\.$actionID).compactMap { $0 })
        let order = Dictionary(uniqueKeysWithValues: try stages.map { (try $0.requireID(), $0.position) })
        return actions.filter { !done.contains($0.id!) }
            .sorted { (order[$0.stageID] ?? 0, $0.position) < (order[$1.stageID] ?? 0, $1.position) }
            .map(\.text)
    }

    /// The checklist of the stage entered becomes tasks, once per action.
    private func createTasks(for deal: Deal, stage: DealStage, on tx: any Database) async throws {
        let stageID = try stage.requireID()
        let actions = try await ChecklistAction.query(on: tx).filter(\.$stageID == stageID).sort(\.$position).all()
        guard !actions.isEmpty else { return }
        let existing = Set(try await DealTask.query(on: tx).filter(\.$dealID == deal.requireID()).filter(\.$stageID == stageID)
            .all(\.$actionID).compactMap { $0 })
        let today = service.today
        for action in actions where !existing.contains(action.id!) {
            let task = DealTask()
            task.dealID = try deal.requireID()
            task.stageID = stageID
            task.actionID = action.id
            task.stageOrder = stage.position
            task.position = action.position
            task.text = action.text
            task.required = action.required
            task.dueDate = action.dueDays.map { today.adding(days: $0).description }
            task.responsibleID = deal.responsibleID
            task.done = false
            try await task.create(on: tx)
        }
    }

    /// Writes the rows back: deleted rows go, changed ones are updated, new ones inserted.
    private func save(_ stats: StageStatistics, of deal: Deal, replacing stored: [DealStageRow], on tx: any Database) async throws {
        let keep = Set(stats.rows.map(\.id))
        let gone = stored.compactMap(\.id).filter { !keep.contains($0) }
        if !gone.isEmpty { try await DealStageRow.query(on: tx).filter(\.$id ~~ gone).delete() }
        let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id!, $0) })
        for row in stats.rows {
            if let model = byID[row.id] {
                guard model.core != row else { continue }
                fill(model, from: row)
                try await model.update(on: tx)
            } else {
                let model = DealStageRow()
                model.id = row.id
                model.dealID = try deal.requireID()
                model.kindID = deal.kindID
                fill(model, from: row)
                try await model.create(on: tx)
            }
        }
    }

    private func fill(_ model: DealStageRow, from row: StageRow) {
        model.stageID = row.stageID
        model.stageOrder = row.order
        model.startAt = row.start
        model.endAt = row.end
        model.durationDays = row.durationDays
        model.potentialCents = row.potentialCents
        model.result = row.result
        model.responsibleID = row.responsibleID
    }
}
