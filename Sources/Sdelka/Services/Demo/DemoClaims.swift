import Fluent
import SdelkaCore
import Vapor

/// Demo claims: two dozen over the last year, in several causes and every status, half of them
/// on a sales document of the client, so that the claims list, the cards and the analysis by
/// cause, guilty party, month and product show real-looking data.
enum DemoClaims {
    static let causes = ["Брак", "Недовложение", "Пересорт", "Срыв сроков поставки", "Повреждение при доставке"]
    static let departments = ["Склад", "Логистика", "Отдел продаж"]
    static let texts = ["Часть товара с дефектом упаковки", "Не довезли две позиции по накладной", "Вместо заказанного сорта привезли другой",
                        "Поставка опоздала на неделю, клиент сорвал акцию", "Коробки помяты, товар не принят"]

    static func fill(_ app: Application, partners: [UUID]) async throws {
        let author = ChangeAuthor.system
        let db = app.db
        func catalog<M: CatalogModel>(_ type: M.Type, _ names: [String]) async throws -> [UUID] {
            var ids: [UUID] = []
            for name in names {
                let item = M()
                CatalogInput(name: name).apply(to: item)
                try await RecordWriter<M>(db: db, author: author) { try CatalogDTO($0) }.create(item)
                ids.append(try item.requireID())
            }
            return ids
        }
        let causeIDs = try await catalog(ClaimCause.self, causes)
        let departmentIDs = try await catalog(ClaimDepartment.self, departments)
        let managers = try await User.query(on: db).filter(\.$role == .manager).sort(\.$login).all().map { try $0.requireID() }
        let clients = try await Partner.query(on: db).filter(\.$id ~~ partners).filter(\.$isClient == true).sort(\.$code).all()
        guard !clients.isEmpty, !managers.isEmpty else { return }
        let service = ClaimService(ServiceContext(db: db, author: author, scope: .all, config: app.sdelka))
        let today = CalendarDate(Date(), in: app.sdelka.timeZone)
        for index in 0..<24 {
            let client = clients[(index * 7) % clients.count]
            let partnerID = try client.requireID()
            let date = today.adding(days: -(index * 15 + 2))
            let cause = index % causes.count
            var input = ClaimInput()
            input.partnerId = partnerID
            input.date = date.description
            input.causeId = causeIDs[cause]
            input.departmentId = departmentIDs[cause % departments.count]
            input.amount = Decimal(1_500 + (index * 3_700) % 42_000)
            input.description = texts[cause]
            if index % 2 == 0, let sale = try await Sale.query(on: db).filter(\.$partnerID == partnerID)
                .filter(\.$date <= date.description).sort(\.$date, .descending).first() {
                input.basis = ClaimBasisDTO(type: .sale, id: try sale.requireID())
            }
            let claim = try await service.create(input)
            // The oldest are decided; the newest still wait.
            if index >= 4 { try await service.changeStatus(claim, ClaimStatusInput(status: .inProcess)) }
            if index >= 8 {
                let satisfied = index % 3 != 0
                let closed = min(date.adding(days: 3 + index % 15), today)
                try await service.changeStatus(claim, ClaimStatusInput(
                    status: satisfied ? .satisfied : .notSatisfied,
                    result: satisfied ? "Заменили товар / вернули деньги" : "Претензия не подтвердилась",
                    settledAmount: satisfied ? (claim.amountCents.map(Money.decimal(cents:)) ?? 0) * Decimal(index % 4 + 1) / 4 : nil,
                    closedOn: closed.description))
            }
            // A responsible manager; one still open gets the planned contact to deal with it.
            var handover = ClaimInput()
            handover.responsibleId = managers[index % managers.count]
            try await service.update(claim, with: handover, clearing: [])
        }
    }
}
