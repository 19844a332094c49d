import Fluent
import SdelkaCore
import Vapor

/// Demo deals: three kinds (a wholesale funnel, an equipment sales regulation with checklists,
/// one-off sales), loss and unsatisfied-demand reasons, and deals at every stage, won and lost,
/// moved through the same rules as users move them, so that the board, the stage statistics
/// and the probabilities have something to show.
enum DemoDeals {
    static let lossReasons = ["Цена выше, чем у конкурента", "Сроки поставки не устроили", "Клиент отказался от закупки", "Выбрал другого поставщика"]
    static let unsatisfiedReasons = ["Нет в ассортименте", "Нет на складе", "Не устроила цена"]
    static let goods = ["Крупы и макароны", "Подсолнечное масло", "Консервы", "Чай и кофе", "Бытовая химия", "Стеллажи для склада",
                        "Холодильное оборудование", "Кассовые терминалы", "Упаковочная плёнка", "Минеральная вода"]

    static func fill(_ app: Application, partners: [UUID]) async throws {
        let author = ChangeAuthor.system
        var reasons: [UUID] = []
        for name in lossReasons {
            let reason = LossReason()
            CatalogInput(name: name).apply(to: reason)
            try await RecordWriter<LossReason>(db: app.db, author: author) { try CatalogDTO($0) }.create(reason)
            reasons.append(try reason.requireID())
        }
        var unsatisfied: [UUID] = []
        for name in unsatisfiedReasons {
            let reason = UnsatisfiedReason()
            CatalogInput(name: name).apply(to: reason)
            try await RecordWriter<UnsatisfiedReason>(db: app.db, author: author) { try CatalogDTO($0) }.create(reason)
            unsatisfied.append(try reason.requireID())
        }
        let kinds = DealKindService(db: app.db, author: author)
        var wholesale = DealKindInput(name: "Оптовая поставка", type: "manual", useDemand: true)
        wholesale.stages = ["Первичный контакт", "Выявление потребности", "Коммерческое предложение", "Переговоры", "Договор"]
            .map { DealStageDTO(name: $0) }
        let funnel = try await kinds.dto(try await kinds.create(wholesale))
        var equipment = DealKindInput(name: "Поставка оборудования", type: "process", useDemand: true)
        equipment.stages = [
            DealStageDTO(name: "Квалификация", checklist: [ChecklistActionDTO(text: "Выявить потребность и бюджет", required: true, dueDays: 2),
                                                           ChecklistActionDTO(text: "Отправить каталог", required: false, dueDays: 1)]),
            DealStageDTO(name: "Расчёт и КП", checklist: [ChecklistActionDTO(text: "Согласовать КП с руководителем", required: true, dueDays: 3)]),
            DealStageDTO(name: "Договор", checklist: [ChecklistActionDTO(text: "Подписать договор", required: true, dueDays: 5)]),
        ]
        let regulation = try await kinds.dto(try await kinds.create(equipment))
        _ = try await kinds.create(DealKindInput(name: "Разовая продажа", type: "free"))

        let service = DealService(db: app.db, author: author, scope: .all, zone: app.sdelka.timeZone)
        let transitions = DealTransitions(service: service)
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        let stored = try await Partner.query(on: app.db).filter(\.$id ~~ partners).filter(\.$kind == .company).sort(\.$name).all()
        let competitors = stored.filter(\.isCompetitor).compactMap(\.id)
        let clients = stored.filter { !$0.isCompetitor }
        // A deal's manager must see its partner: one of the managers granted the partner's group.
        let grants = try await UserAccessGroup.query(on: app.db).join(User.self, on: \UserAccessGroup.$user.$id == \User.$id)
            .filter(User.self, \.$role == .manager).sort(User.self, \.$login).all()
        // Key clients, whom no manager is granted, are the head of sales' own.
        let head = try await User.query(on: app.db).filter(\.$role == .head).first()?.id
        func manager(for partner: Partner, _ index: Int) -> UUID? {
            let candidates = grants.filter { $0.$accessGroup.id == partner.accessGroupID }.map { $0.$user.id }
            return candidates.isEmpty ? head : candidates[index % candidates.count]
        }
        for (index, partner) in clients.prefix(36).enumerated() {
            let kind = index % 3 == 2 ? regulation : funnel
            var input = DealInput()
            input.name = "\(goods[index % goods.count]) для «\(partner.name)»"
            input.partnerId = partner.id
            input.kindId = kind.id
            input.responsibleId = manager(for: partner, index)
            input.startDate = today.adding(days: -(index * 4 % 90) - 5).description
            input.endDate = today.adding(days: 10 + index * 3 % 60).description
            input.potentialAmount = Decimal(150_000 + (index * 37_500) % 2_400_000)
            input.managerProbability = [nil, 30, 50, 70][index % 4]
            input.demand = [DemandLineDTO(description: goods[index % goods.count], amount: input.potentialAmount,
                                          satisfiedPercent: index % 5 == 0 ? 60 : 100,
                                          unsatisfiedReasonId: index % 5 == 0 ? unsatisfied[index % unsatisfied.count] : nil)]
            let deal = try await service.create(input)
            if kind.id == regulation.id {
                // The regulation is followed: its checklist is done before each step forward.
                let reach = index % 3
                for stage in regulation.stages.prefix(reach + 1).dropFirst() {
                    try await completeTasks(of: deal, on: app.db)
                    try await transitions.move(deal, to: stage.id!, override: false, canOverride: false, expectedVersion: nil)
                }
            } else {
                let reach = index % funnel.stages.count
                if reach > 0 { try await transitions.move(deal, to: funnel.stages[reach].id!, override: false, canOverride: false, expectedVersion: nil) }
            }
            switch index % 5 {
            case 1: try await transitions.win(deal, expectedVersion: nil)
            case 3: try await transitions.lose(deal, reasonID: reasons[index % reasons.count],
                                               competitorID: competitors.isEmpty ? nil : competitors[index % competitors.count], expectedVersion: nil)
            default: break
            }
        }
    }

    private static func completeTasks(of deal: Deal, on db: any Database) async throws {
        try await DealTask.query(on: db).filter(\.$dealID == deal.requireID()).filter(\.$done == false)
            .set(\.$done, to: true).set(\.$doneAt, to: Date()).update()
    }
}
