import Fluent
import SdelkaCore
import Vapor

/// The parts of a stored deal's card around its form: where it stands, what can be done
/// with it, its checklist, its stage history and its change history.
enum DealCardPanels {
    static func fill(_ body: inout DealCard.Body, deal: Deal, dto: DealDTO, kind: DealKind?, names: ReferenceNames,
                     t: [String: String], req: Request) async throws {
        let zone = req.application.sdelka.timeZone
        let features = names.features, users = names.users
        let user = try req.user
        let stages = try await DealStage.query(on: req.db).filter(\.$kindID == deal.kindID).sort(\.$position).all()
        let stageNames = Dictionary(uniqueKeysWithValues: stages.map { ($0.id!, $0.name) })
        let rows = features.isEnabled(.dealStages) ? try await DealStageHistory.rows(of: deal, stages: stages, on: req.db) : []
        let reached = Dictionary(rows.map { ($0.stageId, $0.result) }, uniquingKeysWith: { $1 })
        if features.isEnabled(.dealStages) {
            body.path = stages.map { stage in
                let state: String
                if stage.id == dto.stageId { state = dto.status == .open ? "current" : dto.status.rawValue }
                else if reached[stage.id!] != nil { state = "passed" }
                else { state = "ahead" }
                return DealCard.PathStep(name: stage.name, state: state)
            }
            if dto.status == .open {
                body.moves = stages.filter { $0.id != dto.stageId }.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: false) }
            }
            body.canOverride = kind?.type == .process && user.role.can(.overrideChecklist)
        }
        body.stageRows = rows.map { row in
            DealCard.StageLine(name: row.name, start: RussianFormat.date(row.start, zone: zone),
                               end: row.end.map { (t["field_stage_end"] ?? "") + ": " + RussianFormat.dateTime($0, zone: zone) } ?? "",
                               days: row.durationDays.map(String.init) ?? String(StageStatistics.days(from: row.start, to: Date(), in: zone)),
                               potential: row.potential.flatMap(Money.cents).map { RussianFormat.money(cents: $0) } ?? "",
                               result: t["stage_result_\(row.result.rawValue)"] ?? row.result.rawValue, resultKey: row.result.rawValue,
                               override: row.override.map { o in
                                   (t["checklist_overridden"] ?? "") + " " + ReferenceNames.name(o.userId, in: users) + ", " + RussianFormat.dateTime(o.at, zone: zone)
                               } ?? "")
        }
        if dto.status == .open {
            body.lossReasons = FormOptions.make(try await LossReason.query(on: req.db).filter(\.$deletionMark == false).sort(\.$name).all()
                .map { ($0.id!.uuidString, $0.name) }, selected: nil, blank: "—")
            let rivals = try await PartnerQueries.scoped(try await req.accessScope(), on: req.db)
                .filter(\.$isCompetitor == true).filter(\.$deletionMark == false).sort(\.$name).range(0..<200).all()
            body.competitors = FormOptions.make(rivals.map { ($0.id!.uuidString, $0.name) }, selected: nil, blank: "—")
        }
        if features.isEnabled(.dealStages) {
            let today = CalendarDate(Date(), in: zone).description
            let tasks = try await DealTask.query(on: req.db).filter(\.$dealID == deal.requireID()).sort(\.$stageOrder).sort(\.$position).all()
            body.tasks = tasks.map { task in
                DealCard.TaskLine(id: task.id!, text: task.text, required: task.required, due: task.dueDate.map(RussianFormat.date) ?? "",
                                  overdue: !task.done && (task.dueDate.map { $0 < today } ?? false), done: task.done,
                                  doneInfo: task.done ? [ReferenceNames.name(task.doneBy, in: users), task.doneAt.map { RussianFormat.dateTime($0, zone: zone) } ?? ""]
                                      .filter { !$0.isEmpty }.joined(separator: ", ") : "",
                                  stage: stageNames[task.stageID] ?? "")
            }
            body.checklistSummary = "\(tasks.filter(\.done).count)\u{00A0}/\u{00A0}\(tasks.count)"
        }
        body.history = try await AuditPages.history(of: Deal.objectType, id: dto.id, req: req)
        body.claims = try await ClaimsPanel.load(partner: dto.partnerId, basis: ClaimBasisDTO(type: .deal, id: dto.id),
                                                 scope: try await req.accessScope(), req: req)
        if try await SettingsStore.features(on: req.db).isEnabled(.competitorIntel), try req.user.role.can(.editRecords) {
            let rival = dto.participants.first { $0.role == "competitor" }?.partnerId
            body.recordPrice = Site.competitorPrices.new + "?dealId=\(dto.id)" + (rival.map { "&competitorId=\($0)" } ?? "")
        }
    }
}
