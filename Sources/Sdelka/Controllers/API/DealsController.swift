import Fluent
import SdelkaCore
import Vapor

/// `/api/v1/deals`, behind the `deals` switch; the stage actions also behind `dealStages`.
enum DealsController {
    static func register(on routes: any RoutesBuilder, stages: any RoutesBuilder) {
        let group = routes.grouped("deals")
        group.get(use: index)
        RecordResource<DealService>.register(on: group)
        group.post(":id", "win", use: win)
        group.post(":id", "lose", use: lose)
        group.post(":id", "reopen", use: reopen)
        let staged = stages.grouped("deals")
        staged.post(":id", "stage", use: moveStage)
        staged.get(":id", "stages", use: stageRows)
        staged.get("board", use: DealBoardAPI.show)
    }

    @Sendable static func index(req: Request) async throws -> PageDTO<DealDTO> {
        let service = try await req.service(DealService.self)
        let page = try PageRequest(req)
        let (total, rows) = try await page.rows(DealQueries.query(on: req.db, scope: service.scope, try DealQueries.filter(from: req)))
        return PageDTO(items: try await service.dtos(rows), total: total, page: page.page, per: page.per)
    }

    struct StageBody: Content {
        var stageId: UUID?
        /// A head's override of the checklist block (DOMAIN.md §4).
        var override: Bool?
        var version: Int?
    }

    struct LoseBody: Content {
        var lossReasonId: UUID?
        var competitorId: UUID?
        var version: Int?
    }

    struct VersionBody: Content {
        var version: Int?
    }

    @Sendable static func moveStage(req: Request) async throws -> DealDTO {
        let user = try req.require(.editRecords)
        let body = try req.content.decode(StageBody.self)
        guard let stageID = body.stageId else { throw APIError.validation("stageId", "is required") }
        let (deal, service) = try await RecordResource<DealService>.found(req)
        try await DealTransitions(service: service).move(deal, to: stageID, override: body.override ?? false,
                                                         canOverride: user.role.can(.overrideChecklist), expectedVersion: body.version)
        return try await service.dto(deal)
    }

    @Sendable static func win(req: Request) async throws -> DealDTO {
        try req.require(.editRecords)
        let body = try? req.content.decode(VersionBody.self)
        let (deal, service) = try await RecordResource<DealService>.found(req)
        try await DealTransitions(service: service).win(deal, expectedVersion: body?.version)
        return try await service.dto(deal)
    }

    @Sendable static func lose(req: Request) async throws -> DealDTO {
        try req.require(.editRecords)
        let body = try req.content.decode(LoseBody.self)
        let (deal, service) = try await RecordResource<DealService>.found(req)
        try await DealTransitions(service: service).lose(deal, reasonID: body.lossReasonId, competitorID: body.competitorId,
                                                         expectedVersion: body.version)
        return try await service.dto(deal)
    }

    @Sendable static func reopen(req: Request) async throws -> DealDTO {
        try req.require(.editRecords)
        let body = try? req.content.decode(VersionBody.self)
        let (deal, service) = try await RecordResource<DealService>.found(req)
        try await DealTransitions(service: service).reopen(deal, expectedVersion: body?.version)
        return try await service.dto(deal)
    }

    struct StageRows: Content {
        var items: [StageRowDTO]
    }

    @Sendable static func stageRows(req: Request) async throws -> StageRows {
        let (deal, _) = try await RecordResource<DealService>.found(req)
        return StageRows(items: try await DealStageHistory.rows(of: deal, on: req.db))
    }
}

/// `GET /api/v1/deals/board?kindId=&responsibleId=&per=`: the board as data, the API twin of
/// the web board: every stage of the kind with the count and potential of all its open deals
/// and its newest `per` (default 50, at most 500) deals.
enum DealBoardAPI {
    struct CardDTO: Content {
        var id: UUID
        var number: Int
        var name: String
        var partnerId: UUID
        var partnerName: String
        var potentialAmount: Decimal?
        var probability: Decimal
        var daysInStage: Int
        var responsibleId: UUID?
        var version: Int
    }

    struct ColumnDTO: Content {
        var stageId: UUID
        var name: String
        var order: Int
        var count: Int
        var potentialAmount: Decimal
        var deals: [CardDTO]
    }

    struct BoardDTO: Content {
        var kindId: UUID
        var columns: [ColumnDTO]
    }

    @Sendable static func show(req: Request) async throws -> BoardDTO {
        var params = QueryParameters(req)
        let kindID = params.uuid("kindId"), responsible = params.uuid("responsibleId")
        try params.check()
        guard let kindID else { throw APIError.validation("kindId", "is required") }
        guard let kind = try await DealKind.find(kindID, on: req.db), kind.type != .free else {
            throw APIError.validation("kindId", "names a deal kind that does not exist or has no stages")
        }
        let per = try PageRequest(req).per
        let board = try await DealBoard.load(kindID: try kind.requireID(), responsible: responsible, limit: { _ in per },
                                             scope: try await req.accessScope(), on: req.db)
        let zone = req.application.sdelka.timeZone, now = Date()
        return BoardDTO(kindId: kindID, columns: board.columns.map { column in
            ColumnDTO(stageId: column.stage.id!, name: column.stage.name, order: column.stage.position, count: column.count,
                      potentialAmount: Money.decimal(cents: column.potentialCents),
                      deals: column.deals.map { deal in
                          CardDTO(id: deal.id!, number: deal.number, name: deal.name, partnerId: deal.partnerID,
                                  partnerName: board.partnerNames[deal.partnerID] ?? "", potentialAmount: deal.potentialCents.map(Money.decimal(cents:)),
                                  probability: board.rates.probability(of: deal), daysInStage: board.daysInStage(deal, now: now, zone: zone),
                                  responsibleId: deal.responsibleID, version: deal.version)
                      })
        })
    }
}
