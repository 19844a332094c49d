import Foundation

/// The outcome of a deal at one stage it reached (DOMAIN.md §4, Статистика сделок).
public enum StageResult: String, Codable, CaseIterable, Sendable {
    case open, won, lost
}

/// One row of stage statistics: a deal × a stage it reached.
public struct StageRow: Equatable, Sendable {
    public var id: UUID
    public var stageID: UUID
    public var order: Int
    public var start: Date
    public var end: Date?
    public var durationDays: Int?
    public var potentialCents: Int64?
    public var result: StageResult
    public var responsibleID: UUID?

    public init(id: UUID, stageID: UUID, order: Int, start: Date, end: Date? = nil, durationDays: Int? = nil,
                potentialCents: Int64?, result: StageResult = .open, responsibleID: UUID?) {
        self.id = id
        self.stageID = stageID
        self.order = order
        self.start = start
        self.end = end
        self.durationDays = durationDays
        self.potentialCents = potentialCents
        self.result = result
        self.responsibleID = responsibleID
    }
}

/// A stage of a deal kind, as far as the statistics care: its identity and its place.
public struct StageRef: Equatable, Sendable {
    public var id: UUID
    public var order: Int
    public init(id: UUID, order: Int) {
        self.id = id
        self.order = order
    }
}

/// The stage statistics of one deal and the rules that move it, exactly as DOMAIN.md §4 says:
/// forward closes the current row `won` and fills skipped stages with zero-length `won` rows;
/// backward deletes the later rows and reopens the target; winning or losing closes the
/// current row with that result; reopening a closed deal reopens its current row.
public struct StageStatistics: Equatable, Sendable {
    public private(set) var rows: [StageRow]
    /// What the rows are written with: the deal's potential and responsible at the moment.
    public var potentialCents: Int64?
    public var responsibleID: UUID?
    /// Durations count calendar days in the company's zone.
    public var zone: TimeZone
    public var makeID: @Sendable () -> UUID

    public init(rows: [StageRow], potentialCents: Int64?, responsibleID: UUID?, zone: TimeZone,
                makeID: @escaping @Sendable () -> UUID = { TimeOrderedID.make() }) {
        self.rows = rows.sorted { $0.order < $1.order }
        self.potentialCents = potentialCents
        self.responsibleID = responsibleID
        self.zone = zone
        self.makeID = makeID
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.rows == rhs.rows }

    /// The reached stage with the highest order.
    public var current: StageRow? { rows.last }

    /// A new deal of a staged kind starts at the kind's first stage.
    public mutating func start(at stage: StageRef, now: Date) {
        rows = [row(stage, start: now)]
    }

    public enum Move: Equatable, Sendable {
        case none
        case forward(skipped: [StageRef])
        case backward(removed: [StageRow])
    }

    /// Moves the deal to `target`; `stages` are the kind's stages (any order).
    @discardableResult
    public mutating func move(to target: StageRef, stages: [StageRef], now: Date) -> Move {
        guard let current else {
            start(at: target, now: now)
            return .forward(skipped: [])
        }
        if target.order == current.order { return .none }
        if target.order > current.order {
            close(with: .won, now: now)
            let skipped = stages.filter { $0.order > current.order && $0.order < target.order }.sorted { $0.order < $1.order }
            for stage in skipped {
                var passed = row(stage, start: now)
                passed.end = now
                passed.durationDays = 0
                passed.result = .won
                rows.append(passed)
            }
            rows.append(row(target, start: now))
            return .forward(skipped: skipped)
        }
        let removed = rows.filter { $0.order > target.order }
        rows.removeAll { $0.order > target.order }
        if let index = rows.firstIndex(where: { $0.stageID == target.id }) {
            reopen(at: index)
        } else {
            // The deal never reached this stage (it was added to the kind later): it is reached now.
            rows.append(row(target, start: now))
            rows.sort { $0.order < $1.order }
        }
        return .backward(removed: removed)
    }

    /// Closes the current row: `won` when the deal is won (or the stage passed), `lost` when lost.
    public mutating func close(with result: StageResult, now: Date) {
        guard let index = rows.indices.last, rows[index].result == .open else { return }
        rows[index].end = now
        rows[index].durationDays = Self.days(from: rows[index].start, to: now, in: zone)
        rows[index].potentialCents = potentialCents
        rows[index].responsibleID = responsibleID
        rows[index].result = result
    }

    /// A closed deal taken up again: its current stage is open once more.
    public mutating func reopen() {
        guard let index = rows.indices.last else { return }
        reopen(at: index)
    }

    /// The open row follows the deal's potential and responsible as they change.
    public mutating func refreshOpenRow() {
        guard let index = rows.indices.last, rows[index].result == .open else { return }
        rows[index].potentialCents = potentialCents
        rows[index].responsibleID = responsibleID
    }

    private mutating func reopen(at index: Int) {
        rows[index].end = nil
        rows[index].durationDays = nil
        rows[index].result = .open
        rows[index].potentialCents = potentialCents
        rows[index].responsibleID = responsibleID
    }

    private func row(_ stage: StageRef, start: Date) -> StageRow {
        StageRow(id: makeID(), stageID: stage.id, order: stage.order, start: start,
                 potentialCents: potentialCents, responsibleID: responsibleID)
    }

    /// Whole calendar days between two moments, as dates in `zone`.
    public static func days(from start: Date, to end: Date, in zone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let from = calendar.startOfDay(for: start), to = calendar.startOfDay(for: end)
        return calendar.dateComponents([.day], from: from, to: to).day ?? 0
    }
}
