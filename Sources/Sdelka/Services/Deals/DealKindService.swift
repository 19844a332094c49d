import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Deal kinds with their stages and checklists, which are edited as one object: the stage
/// list given replaces the stored one, keeping the ids it names (deals stay at their stages
/// when a stage is renamed or moved) and refusing to drop a stage that deals have reached.
struct DealKindService: Sendable {
    let db: any Database
    let author: ChangeAuthor

    /// By name; `q` searches.
    func list(q: String?, includeDeleted: Bool) -> QueryBuilder<DealKind> {
        let query = DealKind.query(on: db)
        if !includeDeleted { query.filter(\.$deletionMark == false) }
        if let q { query.filter(\.$searchText ~~ SearchText.normalize(q)) }
        return query.sort(\.$name).sort(\.$id)
    }

    func dtos(_ kinds: [DealKind]) async throws -> [DealKindDTO] {
        let ids = try kinds.map { try $0.requireID() }
        let stages = ids.isEmpty ? [] : try await DealStage.query(on: db).filter(\.$kindID ~~ ids).sort(\.$position).all()
        let stageIDs = try stages.map { try $0.requireID() }
        let actions = stageIDs.isEmpty ? [] : try await ChecklistAction.query(on: db).filter(\.$stageID ~~ stageIDs).sort(\.$position).all()
        let actionsByStage = Dictionary(grouping: actions, by: \.stageID)
        let stagesByKind = Dictionary(grouping: stages, by: \.kindID)
        return try kinds.map { kind in
            let stageDTOs = try (stagesByKind[try kind.requireID()] ?? []).map { stage in
                DealStageDTO(id: try stage.requireID(), name: stage.name, order: stage.position,
                             checklist: (actionsByStage[try stage.requireID()] ?? []).map {
                                 ChecklistActionDTO(id: $0.id, text: $0.text, required: $0.required, dueDays: $0.dueDays)
                             })
            }
            return DealKindDTO(id: try kind.requireID(), name: kind.name, type: kind.type, useDemand: kind.useDemand,
                               allowed: kind.allowed, comment: kind.comment, stages: stageDTOs,
                               deletionMark: kind.deletionMark, version: kind.version)
        }
    }

    func dto(_ kind: DealKind) async throws -> DealKindDTO { try await dtos([kind])[0] }

    func writer(stages: [DealStageDTO]) -> RecordWriter<DealKind> {
        RecordWriter(db: db, author: author) { kind in
            DealKindDTO(id: try kind.requireID(), name: kind.name, type: kind.type, useDemand: kind.useDemand, allowed: kind.allowed,
                        comment: kind.comment, stages: stages, deletionMark: kind.deletionMark, version: kind.version)
        }
    }

    func create(_ input: DealKindInput) async throws -> DealKind {
        var errors = input.validate(current: nil)
        try await checkGivenIDs(input.stages ?? [], stored: [], into: &errors)
        try errors.check()
        let kind = DealKind()
        kind.id = UUID()
        kind.useDemand = false
        kind.allowed = true
        apply(input, to: kind)
        let stages = numbered(input.stages ?? [])
        try await writer(stages: stages).create(kind) { tx in
            try await Self.saveStages(stages, of: kind.requireID(), on: tx)
        }
        return kind
    }

    func update(_ kind: DealKind, with input: DealKindInput) async throws {
        var errors = input.validate(current: kind)
        let before = try await dto(kind)
        var stages = before.stages
        if let given = input.stages {
            stages = numbered(given)
            try await checkGivenIDs(given, stored: before.stages, into: &errors)
            try await checkRemovals(of: before.stages, keeping: stages, into: &errors)
        }
        try errors.check()
        apply(input, to: kind)
        let saved = stages
        try await writer(stages: saved).update(kind, before: before, expectedVersion: input.version) { tx in
            if input.stages != nil { try await Self.saveStages(saved, of: kind.requireID(), on: tx) }
        }
    }

    private func apply(_ input: DealKindInput, to kind: DealKind) {
        if let name = input.name.cleaned { kind.name = name }
        if let type = input.type.flatMap(DealKind.KindType.init) { kind.type = type }
        if let useDemand = input.useDemand { kind.useDemand = useDemand }
        if let allowed = input.allowed { kind.allowed = allowed }
        if let comment = input.comment { kind.comment = comment.cleaned }
        kind.searchText = SearchText.normalize(kind.name, kind.comment)
    }

    /// Orders from 1 in list order, new stages and actions get their ids here so that the
    /// audit snapshot shows them.
    private func numbered(_ stages: [DealStageDTO]) -> [DealStageDTO] {
        stages.enumerated().map { index, stage in
            DealStageDTO(id: stage.id ?? UUID(), name: stage.name.cleaned ?? stage.name, order: index + 1,
                         checklist: (stage.checklist ?? []).map {
                             ChecklistActionDTO(id: $0.id ?? UUID(), text: $0.text.cleaned ?? $0.text, required: $0.required, dueDays: $0.dueDays)
                         })
        }
    }

    /// Ids a client gives must be the kind's own: a stage of another kind, an action of another
    /// stage, or an id given twice would collide with a stored row.
    private func checkGivenIDs(_ given: [DealStageDTO], stored: [DealStageDTO], into errors: inout FieldErrors) async throws {
        let storedStages = Set(stored.compactMap(\.id))
        var ownActions: [UUID: Set<UUID>] = [:]
        for stage in stored { if let id = stage.id { ownActions[id] = Set((stage.checklist ?? []).compactMap(\.id)) } }
        var seen = Set<UUID>(), unknownStages: [(String, UUID)] = [], unknownActions: [(String, UUID)] = []
        for (index, stage) in given.enumerated() {
            if let id = stage.id {
                if !seen.insert(id).inserted { errors.add("stages.\(index).id", "is given twice") }
                if !storedStages.contains(id) { unknownStages.append(("stages.\(index).id", id)) }
            }
            for (line, action) in (stage.checklist ?? []).enumerated() {
                guard let id = action.id else { continue }
                let field = "stages.\(index).checklist.\(line).id"
                if !seen.insert(id).inserted { errors.add(field, "is given twice") }
                if !(stage.id.flatMap { ownActions[$0] }?.contains(id) ?? false) { unknownActions.append((field, id)) }
            }
        }
        if !unknownStages.isEmpty {
            let foreign = Set(try await DealStage.query(on: db).filter(\.$id ~~ unknownStages.map(\.1)).all(\.$id))
            for (field, id) in unknownStages where foreign.contains(id) { errors.add(field, "is a stage of another kind") }
        }
        if !unknownActions.isEmpty {
            let foreign = Set(try await ChecklistAction.query(on: db).filter(\.$id ~~ unknownActions.map(\.1)).all(\.$id))
            for (field, id) in unknownActions where foreign.contains(id) { errors.add(field, "is an action of another stage") }
        }
    }

    private func checkRemovals(of stored: [DealStageDTO], keeping stages: [DealStageDTO], into errors: inout FieldErrors) async throws {
        let storedIDs = Set(stored.compactMap(\.id))
        let removed = storedIDs.subtracting(stages.compactMap(\.id))
        guard !removed.isEmpty else { return }
        let reached = try await DealStageRow.query(on: db).filter(\.$stageID ~~ removed).count()
            + Deal.query(on: db).filter(\.$stageID ~~ removed.map { Optional($0) }).count()
        if reached > 0 {
            let names = stored.filter { removed.contains($0.id!) }.map(\.name).joined(separator: ", ")
            errors.add("stages", "deals have reached these stages, so they cannot be dropped: \(names)")
        }
    }

    static func saveStages(_ stages: [DealStageDTO], of kindID: UUID, on db: any Database) async throws {
        let keep = stages.compactMap(\.id)
        let existing = try await DealStage.query(on: db).filter(\.$kindID == kindID).all()
        let positions = Dictionary(uniqueKeysWithValues: try existing.map { (try $0.requireID(), $0.position) })
        let dropped = Set(positions.keys).subtracting(keep)
        if !dropped.isEmpty {
            try await DealTask.query(on: db).filter(\.$stageID ~~ dropped).delete()
            try await DealStage.query(on: db).filter(\.$id ~~ dropped).delete()
        }
        for stage in stages {
            let id = stage.id!
            let row = existing.first { $0.id == id } ?? DealStage()
            row.id = id
            row.kindID = kindID
            row.position = (stage.order ?? 1)
            row.name = stage.name
            try await row.save(on: db)
            // The statistics keep each row's stage order for the funnel: it follows a reorder.
            if let old = positions[id], old != stage.order {
                for table in [DealStageRow.schema, DealTask.schema] {
                    try await db.sql.update(table).set("stage_order", to: SQLBind((stage.order ?? 1))).where("stage_id", .equal, SQLBind(id)).run()
                }
            }
            try await saveChecklist(stage.checklist ?? [], of: id, on: db)
        }
    }

    private static func saveChecklist(_ actions: [ChecklistActionDTO], of stageID: UUID, on db: any Database) async throws {
        let existing = try await ChecklistAction.query(on: db).filter(\.$stageID == stageID).all()
        let keep = Set(actions.compactMap(\.id))
        let dropped = try existing.map { try $0.requireID() }.filter { !keep.contains($0) }
        if !dropped.isEmpty {
            // Open tasks of a dropped action go with it; the done ones stay as a record of the work.
            try await DealTask.query(on: db).filter(\.$actionID ~~ dropped.map { Optional($0) }).filter(\.$done == false).delete()
            try await ChecklistAction.query(on: db).filter(\.$id ~~ dropped).delete()
        }
        for (position, action) in actions.enumerated() {
            let row = existing.first { $0.id == action.id } ?? ChecklistAction()
            row.id = action.id
            row.stageID = stageID
            row.position = position
            row.text = action.text
            row.required = action.required
            row.dueDays = action.dueDays
            try await row.save(on: db)
        }
    }
}

extension DealKindService: RecordService {
    static let noun = "deal kind"
    static var editPermission: Permission { .manageCatalogs }

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author)
    }

    func visible(_ id: UUID) async throws -> DealKind? {
        try await DealKind.find(id, on: db)
    }

    func update(_ kind: DealKind, with input: DealKindInput, clearing: Set<String>) async throws {
        try await update(kind, with: input)
    }

    func setDeletionMark(_ kind: DealKind, to mark: Bool, expectedVersion: Int?) async throws {
        let writer = writer(stages: try await dto(kind).stages)
        try await writer.setDeletionMark(kind, to: mark, expectedVersion: expectedVersion)
    }
}
