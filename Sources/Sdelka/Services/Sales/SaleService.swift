import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Sales documents and returns are seen through their partner's access group (DOMAIN.md §9).
/// Every write moves the partner's daily totals in the same transaction, and a sale linked to
/// an open deal wins it when the setting says so, following the deal rules.
struct SaleService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    let zone: TimeZone

    func dtos(_ sales: [Sale]) async throws -> [SaleDTO] {
        let lines = try await SaleLines.load(of: sales, on: db)
        return try sales.map { try SaleDTO($0, lines: lines[try $0.requireID()] ?? []) }
    }

    func dto(_ sale: Sale) async throws -> SaleDTO { try await dtos([sale])[0] }

    private func writer(_ lines: [SaleLineDTO]) -> RecordWriter<Sale> {
        RecordWriter(db: db, author: author) { try SaleDTO($0, lines: lines) }
    }

    func create(_ input: SaleInput) async throws -> Sale {
        let input = try await pricedFromProducts(input)
        let (fieldErrors, lines) = input.validate(creating: true)
        var errors = fieldErrors
        let sale = Sale()
        sale.id = TimeOrderedID.make()
        sale.comment = nil
        apply(input, to: sale, clearing: [])
        try await checkReferences(input, sale: sale, current: nil, into: &errors)
        try errors.check()
        guard let lines else { throw FieldErrors("lines", "is required") }
        setTotals(of: sale, from: lines)
        // A stop-list blocks new sales to its members (DOMAIN.md §7); returns still go through.
        if !sale.isReturn, let stop = try await SegmentService.stopLists(containing: sale.partnerID, now: Date(), timeZone: zone, on: db).first {
            throw FieldErrors("partnerId", "is in the stop-list: \(stop)")
        }
        let dtos = lines.map { SaleLineDTO(productId: $0.0, $0.1) }
        try await db.writeTransaction { tx in
            if input.number.cleaned == nil { sale.number = String(try await Sequences.next("sale", on: tx)) }
            sale.lineKey = Int64(try await Sequences.next("sale_line_key", on: tx))
            try await self.on(tx).writer(dtos).create(sale) { tx in
                try await SaleLines.replace(of: sale, with: lines, on: tx)
                var changes = SalesTotals.Changes()
                changes.add(sale, sign: 1)
                try await SalesTotals.apply(changes, on: tx)
                try await self.on(tx).winDeal(of: sale)
            }
        }
        return sale
    }

    func update(_ sale: Sale, with input: SaleInput, clearing: Set<String>) async throws {
        let input = try await pricedFromProducts(input)
        let (fieldErrors, lines) = input.validate(creating: false)
        var errors = fieldErrors
        let before = try await dto(sale)
        var changes = SalesTotals.Changes()
        changes.add(sale, sign: -1)
        apply(input, to: sale, clearing: clearing.intersection(SaleInput.clearable))
        try await checkReferences(input, sale: sale, current: before, into: &errors)
        try errors.check()
        if let lines { setTotals(of: sale, from: lines) }
        changes.add(sale, sign: 1)
        let dtos = lines.map { $0.map { SaleLineDTO(productId: $0.0, $0.1) } } ?? before.lines
        let saved = changes
        try await writer(dtos).update(sale, before: before, expectedVersion: input.version) { tx in
            if let lines { try await SaleLines.replace(of: sale, with: lines, on: tx) }
            try await SalesTotals.apply(saved, on: tx)
            try await self.on(tx).winDeal(of: sale)
        }
    }

    func setDeletionMark(_ sale: Sale, to mark: Bool, expectedVersion: Int?) async throws {
        guard sale.deletionMark != mark else { return }
        let lines = try await dto(sale).lines
        var changes = SalesTotals.Changes()
        // Marking takes the document out of the totals; restoring puts it back.
        changes.add(sale, sign: mark ? -1 : 1, markedToo: true)
        let saved = changes
        let write: @Sendable (any Database) async throws -> Void = { tx in
            try await SalesTotals.apply(saved, on: tx)
            if !mark { try await self.on(tx).winDeal(of: sale) }
        }
        try await writer(lines).setDeletionMark(sale, to: mark, expectedVersion: expectedVersion, extra: write)
    }

    func on(_ other: any Database) -> SaleService {
        SaleService(db: other, author: author, scope: scope, zone: zone)
    }

    // MARK: private

    /// A line with neither price nor amount is sold at the product's price.
    private func pricedFromProducts(_ input: SaleInput) async throws -> SaleInput {
        guard let lines = input.lines else { return input }
        let unpriced = Set(lines.filter { $0.price == nil && $0.amount == nil }.compactMap(\.productId))
        guard !unpriced.isEmpty else { return input }
        let prices = try await Product.query(on: db).filter(\.$id ~~ unpriced).all()
        var priced = input
        for index in lines.indices where lines[index].price == nil && lines[index].amount == nil {
            if let cents = prices.first(where: { $0.id == lines[index].productId })?.priceCents {
                priced.lines?[index].price = Money.decimal(cents: cents)
            }
        }
        return priced
    }

    private func apply(_ input: SaleInput, to sale: Sale, clearing: Set<String>) {
        if let number = input.number.cleaned { sale.number = number }
        if let date = input.date { sale.date = date }
        if let partner = input.partnerId { sale.partnerID = partner }
        if let value = input.counterpartyId { sale.counterpartyID = value }
        if let value = input.organizationId { sale.organizationID = value }
        if let value = input.dealId { sale.dealID = value }
        if let value = input.agreementId { sale.agreementID = value }
        if let value = input.contractId { sale.contractID = value }
        if let comment = input.comment { sale.comment = comment.cleaned }
        for field in clearing {
            switch field {
            case "counterpartyId": sale.counterpartyID = nil
            case "organizationId": sale.organizationID = nil
            case "dealId": sale.dealID = nil
            case "agreementId": sale.agreementID = nil
            case "contractId": sale.contractID = nil
            case "comment": sale.comment = nil
            default: break
            }
        }
    }

    private func setTotals(of sale: Sale, from lines: [(UUID, SaleLineValues)]) {
        let totals = SaleTotals(lines.map(\.1))
        sale.revenueCents = totals.revenueCents
        sale.costCents = totals.costCents
        sale.lineCount = lines.count
        sale.isReturn = lines.first?.1.isReturn ?? false
    }

    /// Every reference must exist and fit: the counterparty, deal, agreement and contract
    /// belong to the document's partner, which the user may see.
    private func checkReferences(_ input: SaleInput, sale: Sale, current: SaleDTO?, into errors: inout FieldErrors) async throws {
        let partner = sale.$partnerID.value
        if let partner, input.partnerId != nil, input.partnerId != current?.partnerId,
           try await !PartnerQueries.isLive(partner, scope: scope, on: db) {
            errors.add("partnerId", "names a partner that does not exist")
        }
        if let number = input.number.cleaned, number != current?.number,
           try await Sale.query(on: db).filter(\.$number == number).count() > 0 {
            errors.add("number", "is already the number of another document")
        }
        if let id = sale.counterpartyID, input.counterpartyId != nil || input.partnerId != nil {
            let owner = try await Counterparty.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).first()?.partnerID
            if owner == nil { errors.add("counterpartyId", "names a counterparty that does not exist") }
            else if owner != partner { errors.add("counterpartyId", "belongs to another partner") }
        }
        if let id = input.organizationId, id != current?.organizationId,
           try await Organization.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).count() == 0 {
            errors.add("organizationId", "names an organization that does not exist")
        }
        if let id = sale.dealID, input.dealId != nil || input.partnerId != nil {
            let owner = try await Deal.query(on: db).filter(\.$id == id).filter(\.$deletionMark == false).first()?.partnerID
            if owner == nil { errors.add("dealId", "names a deal that does not exist") }
            else if owner != partner { errors.add("dealId", "is a deal of another partner") }
        }
        try await checkTerms(Agreement.self, "agreementId", sale.agreementID, sale, changed: input.agreementId != nil || input.counterpartyId != nil, into: &errors)
        try await checkTerms(Contract.self, "contractId", sale.contractID, sale, changed: input.contractId != nil || input.counterpartyId != nil, into: &errors)
        if let lines = input.lines {
            let products = Set(lines.compactMap(\.productId))
            let found = Set(try await Product.query(on: db).filter(\.$id ~~ products).all(\.$id))
            for (index, line) in lines.enumerated() {
                if let product = line.productId, !found.contains(product) {
                    errors.add("lines.\(index).productId", "names a product that does not exist")
                }
            }
        }
    }

    private func checkTerms<M: CounterpartyTerms>(_ type: M.Type, _ field: String, _ id: UUID?, _ sale: Sale, changed: Bool,
                                                   into errors: inout FieldErrors) async throws {
        guard let id, changed else { return }
        guard let terms = try await M.find(id, on: db), !terms.deletionMark else {
            errors.add(field, "names an object that does not exist")
            return
        }
        if terms.counterpartyID != sale.counterpartyID { errors.add(field, "belongs to another counterparty") }
    }

    /// A sale (not a return) linked to an open deal wins it, when the setting is on.
    private func winDeal(of sale: Sale) async throws {
        guard let dealID = sale.dealID, !sale.isReturn, !sale.deletionMark else { return }
        guard try await SettingsStore.sales(on: db).autoWinDeals,
              try await SettingsStore.features(on: db).isEnabled(.deals),
              let deal = try await Deal.find(dealID, on: db), deal.status == .open, !deal.deletionMark else { return }
        let deals = DealService(db: db, author: author, scope: .all, zone: zone)
        try await DealTransitions(service: deals).win(deal, expectedVersion: nil)
    }
}

extension SaleService: RecordService {
    static let noun = "sale"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope, zone: context.zone)
    }

    func visible(_ id: UUID) async throws -> Sale? {
        try await SaleQueries.scoped(scope, on: db).filter(\.$id == id).first()
    }
}
