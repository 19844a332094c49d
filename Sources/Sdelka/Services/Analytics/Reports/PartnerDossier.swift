import Fluent
import Foundation
import SdelkaCore
import Vapor

/// `GET /api/v1/reports/partners/{id}/dossier` (Досье партнера, DOMAIN.md §6): everything a
/// manager reads before a call on one page — the partner with its contacts and source, its
/// counterparties, its current contact persons, its open deals with their probability, its last
/// interactions, sales
/// by month over the last year and the last two ABC/XYZ results. Parts switched off are left out.
struct PartnerDossierDTO: Content {
    struct SalesYear: Content, Equatable {
        var revenue: Decimal
        var grossProfit: Decimal
        var salesCount: Int
    }

    var partner: PartnerDTO
    var counterparties: [CounterpartyDTO]
    var contactPersons: [ContactPersonDTO]
    var openDeals: [DealDTO]?
    /// The latest interactions with the partner or its contact persons (absent while interactions are off).
    var lastInteractions: [InteractionDTO]?
    var salesByMonth: [SalesMonthDTO]
    var salesLastYear: SalesYear
    var classification: PartnerClassificationDTO?
    /// The partner's claims: how many, how many open, and the satisfied share of those closed
    /// (absent while claims are off).
    var claims: ClaimsSummary?

    struct ClaimsSummary: Content, Equatable {
        var count: Int
        var open: Int
        var amount: Decimal
        var settledAmount: Decimal
        var satisfiedShare: Decimal?
    }

    static let months = 12, interactions = 10

    /// The dossier as `reader` may see it (`scope`), with business dates in `zone`.
    static func load(_ partner: Partner, reader: ChangeAuthor, scope: AccessScope, zone: TimeZone, on db: any Database) async throws -> PartnerDossierDTO {
        let id = try partner.requireID()
        let features = try await SettingsStore.features(on: db)
        let today = CalendarDate(Date(), in: zone)
        let counterparties = try await Counterparty.query(on: db).filter(\.$partnerID == id).filter(\.$deletionMark == false)
            .sort(\.$name).all()
        let contacts = try await ContactStore.lists(.counterparty, ownerIDs: counterparties.map { try $0.requireID() }, on: db)
        let people = try await ContactPerson.query(on: db).filter(\.$partnerID == id).filter(\.$deletionMark == false)
            .filter(\.$until == nil).sort(\.$name).all()
        var openDeals: [DealDTO]?
        if features.isEnabled(.deals) {
            let deals = try await Deal.query(on: db).filter(\.$partnerID == id).filter(\.$status == .open)
                .filter(\.$deletionMark == false).sort(\.$number, .descending).all()
            openDeals = try await DealService(db: db, author: reader, scope: scope, zone: zone).dtos(deals)
        }
        var lastInteractions: [InteractionDTO]?
        if features.isEnabled(.interactions) {
            var filter = InteractionQueries.Filter(today: today)
            filter.partnerID = id
            let found = try await InteractionQueries.query(filter, scope: scope, userID: reader.userID, on: db).range(0..<interactions).all()
            lastInteractions = try await InteractionService(db: db, author: reader, scope: scope).dtos(found)
        }
        let sales = try await SalesTotals.monthly(partner: id, months: months, today: today, on: db)
        var classification: PartnerClassificationDTO?
        if !features.classificationMeasures.isEmpty {
            var loaded = try await PartnerClassificationDTO.load(partner: id, on: db)
            loaded.history = loaded.lastTwoRuns
            classification = loaded
        }
        var claims: ClaimsSummary?
        if features.isEnabled(.claims) {
            var figures = ClaimFigures()
            for claim in try await Claim.query(on: db).filter(\.$partnerID == id).filter(\.$deletionMark == false).all() {
                figures.add(ClaimFigures(count: 1, open: claim.status.isClosed ? 0 : 1, satisfied: claim.status == .satisfied ? 1 : 0,
                                         notSatisfied: claim.status == .notSatisfied ? 1 : 0,
                                         amountCents: claim.amountCents ?? 0, settledCents: claim.settledCents ?? 0))
            }
            claims = ClaimsSummary(count: figures.count, open: figures.open, amount: Money.decimal(cents: figures.amountCents),
                                   settledAmount: Money.decimal(cents: figures.settledCents), satisfiedShare: figures.satisfiedShare)
        }
        return PartnerDossierDTO(
            partner: try await PartnerService(db: db, author: reader, scope: scope, today: today).dto(partner),
            counterparties: try counterparties.map { try CounterpartyDTO($0, contacts: contacts[try $0.requireID()] ?? []) },
            contactPersons: try await ContactPersonService(db: db, author: reader, scope: scope).dtos(people),
            openDeals: openDeals, lastInteractions: lastInteractions, salesByMonth: sales,
            salesLastYear: SalesYear(revenue: sales.reduce(0) { $0 + $1.revenue }, grossProfit: sales.reduce(0) { $0 + $1.grossProfit },
                                     salesCount: sales.reduce(0) { $0 + $1.salesCount }),
            classification: classification, claims: claims)
    }

    /// The dossier as one table: a section column, then what each section lists.
    static func table(_ d: PartnerDossierDTO) -> ReportFormat.Table {
        var rows: [[String?]] = [["partner", d.partner.name, d.partner.code, nil]]
        rows += d.counterparties.map { ["counterparty", $0.name, [$0.inn, $0.kpp].compactMap { $0 }.joined(separator: "/"), nil] }
        rows += d.contactPersons.map { ["contactPerson", $0.name, $0.position, nil] }
        rows += (d.openDeals ?? []).map { ["openDeal", $0.name, $0.probability.map { "\($0)" }, $0.potentialAmount?.description] }
        rows += (d.lastInteractions ?? []).map { ["interaction", $0.topic, $0.type.rawValue, nil] }
        rows += d.salesByMonth.map { ["salesMonth", $0.month, String($0.salesCount), $0.revenue.description] }
        rows += (d.classification?.history ?? []).map {
            ["classification", $0.date.description, "\($0.measure.rawValue) \($0.abc?.rawValue ?? "") \($0.xyz?.rawValue ?? "")", $0.abcValue?.description]
        }
        if let c = d.claims {
            rows.append(["claims", String(c.count), c.satisfiedShare.map { "\($0) %" }, c.amount.description])
        }
        return ReportFormat.Table(filename: "dossier.csv", header: ["section", "name", "detail", "amount"], rows: rows)
    }
}
