import Fluent
import SdelkaCore
import Vapor

/// A claim's card: its form, the buttons that move its status (with the outcome when it
/// closes), the interactions about it and its history.
enum ClaimCard {
    struct StatusButton: Encodable, Sendable {
        var status: String
        var label: String
        var closes: Bool
    }

    struct InteractionRow: Encodable, Sendable {
        var id: UUID
        var when: String
        var type: String
        var topic: String
    }

    struct Body: Encodable, Sendable {
        var heading: String
        var action: String
        var id: UUID?
        var version: Int
        var deletionMark: Bool
        var canEdit: Bool
        var formError: String?
        var partner: DealPages.NamedLink?
        var status: String?
        var closed: Bool
        var outcome: [PartnerPages.Labeled]
        var buttons: [StatusButton]
        /// A button closes the claim: the outcome's fields are shown.
        var closing: Bool
        var today: String
        var fields: [FormField]
        var interactions: [InteractionRow]
        var journal: String?
        var history: [AuditPages.Row]
    }

    /// An amount that is not a number is a field error, not a silently empty amount.
    static func input(from form: PostedForm, creating: Bool) throws -> ClaimInput {
        if let text = form.text("amount").cleaned, Money.parse(text) == nil { throw FieldErrors("amount", "must be a number") }
        var input = ClaimInput()
        input.number = form.text("number")
        input.date = form.text("date")
        if creating { input.partnerId = form.uuid("partnerId") }
        input.counterpartyId = form.uuid("counterpartyId")
        input.contactPersonId = form.uuid("contactPersonId")
        input.amount = form.text("amount").cleaned.flatMap(Money.parse)
        if let basis = form.text("basis").cleaned {
            let parts = basis.split(separator: ":").map(String.init)
            if parts.count == 2, let type = Claim.BasisType(rawValue: parts[0]), let id = UUID(uuidString: parts[1]) {
                input.basis = ClaimBasisDTO(type: type, id: id)
            }
        }
        input.causeId = form.uuid("causeId")
        input.departmentId = form.uuid("departmentId")
        input.guiltyUserId = form.uuid("guiltyUserId")
        input.description = form.text("description") ?? (creating ? "" : nil)
        input.responsibleId = form.uuid("responsibleId")
        input.version = form.text("version").flatMap { Int($0) }
        return input
    }

    static func render(_ req: Request, claim: Claim?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(ClaimService.self)
        let (dto, history) = try await StoredRecord.load(claim, service: service, req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let names = try await ReferenceNames.load(req)
        let partnerID = dto?.partnerId ?? form?.uuid("partnerId") ?? req.query[UUID.self, at: "partnerId"]
        var partnerName = ""
        var counterparties: [(String, String)] = [], people: [(String, String)] = [], bases: [(String, String)] = []
        if let partnerID, let partner = try await PartnerQueries.scoped(service.scope, on: req.db).filter(\.$id == partnerID).first() {
            partnerName = partner.name
            counterparties = try await Counterparty.query(on: req.db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false)
                .sort(\.$name).all().map { (try $0.requireID().uuidString, $0.name) }
            people = try await ContactPerson.query(on: req.db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false)
                .sort(\.$name).all().map { (try $0.requireID().uuidString, $0.name) }
            bases = try await basisOptions(partnerID, scope: service.scope, features: names.features, t: t, on: req.db)
        }
        let basis = dto?.basis.map { "\($0.type.rawValue):\($0.id)" } ?? req.query[String.self, at: "basis"]
        let today = CalendarDate(Date(), in: req.application.sdelka.timeZone).description
        let users = names.users.map { ($0.0.uuidString, $0.1) }
        let me = try req.user.id
        let fields = [
            make.field("number", "field_doc_number", stored: dto?.number, hint: dto == nil ? "hint_doc_number" : nil),
            make.field("date", "field_date", .date, stored: dto?.date ?? today, required: true),
            FormField(name: "partnerId", label: make.label("field_partner"), type: .lookup, value: partnerID?.uuidString ?? "",
                      display: partnerName, lookup: Site.lookup.path(.partners), required: true).withError(errors),
            make.select("counterpartyId", "field_counterparty", counterparties, stored: dto?.counterpartyId?.uuidString),
            make.select("contactPersonId", "field_contact_person", people, stored: dto?.contactPersonId?.uuidString),
            make.field("amount", "field_claim_amount", .number, stored: dto?.amount.map { "\($0)" }),
            make.select("basis", "field_claim_basis", bases, stored: basis),
            make.select("causeId", "field_claim_cause", try await ReferenceNames.catalog(ClaimCause.self, req.db).map { ($0.0.uuidString, $0.1) },
                        stored: dto?.causeId?.uuidString),
            make.select("departmentId", "field_claim_department",
                        try await ReferenceNames.catalog(ClaimDepartment.self, req.db).map { ($0.0.uuidString, $0.1) },
                        stored: dto?.departmentId?.uuidString),
            make.select("guiltyUserId", "field_claim_guilty_user", users, stored: dto?.guiltyUserId?.uuidString),
            make.select("responsibleId", "field_responsible", users, stored: (dto == nil ? me : dto?.responsibleId)?.uuidString),
            make.field("description", "field_claim_description", .textarea, stored: dto?.description, required: true, wide: true),
        ]
        var interactions: [InteractionRow] = []
        if let dto, names.features.isEnabled(.interactions) {
            interactions = try await InteractionQueries.scoped(service.scope, userID: service.context.author.userID, on: req.db)
                .filter(\.$deletionMark == false).group(.or) { or in
                    or.group(.and) { $0.filter(\.$subjectType == .claim).filter(\.$subjectID == dto.id) }
                    if dto.basis?.type == .interaction, let id = dto.basis?.id { or.filter(\.$id == id) }
                }
                .sort(\.$occurredAt, .descending).range(0..<50).all()
                .map { i in InteractionRow(id: try i.requireID(), when: RussianFormat.dateTime(i.occurredAt, zone: req.application.sdelka.timeZone),
                                           type: t["interaction_type_\(i.type.rawValue)"] ?? i.type.rawValue, topic: i.topic) }
        }
        let money = { (value: Decimal?) in value.flatMap(Money.cents).map { RussianFormat.money(cents: $0) } }
        var outcome: [PartnerPages.Labeled] = []
        if let dto {
            if let result = dto.result { outcome.append(.init(label: make.label("field_claim_result"), value: result)) }
            if let settled = money(dto.settledAmount) { outcome.append(.init(label: make.label("field_claim_settled"), value: settled)) }
            if let closed = dto.closedOn { outcome.append(.init(label: make.label("field_claim_closed_on"), value: RussianFormat.date(closed))) }
        }
        let heading = dto.map { make.label("claim_heading") + " № " + $0.number + " " + make.label("of_date") + " " + RussianFormat.date($0.date) }
            ?? make.label("claim_new")
        let body = Body(
            heading: heading, action: dto.map { Site.claims.path($0.id) } ?? Site.claims.path, id: dto?.id, version: dto?.version ?? 0,
            deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.editRecords), formError: errors["form"],
            partner: partnerID.map { DealPages.NamedLink(href: Site.partners.path($0), label: partnerName) },
            status: dto.map { t["claim_status_\($0.status.rawValue)"] ?? $0.status.rawValue }, closed: dto?.status.isClosed ?? false,
            outcome: outcome,
            buttons: (dto?.status.next ?? []).map {
                StatusButton(status: $0.rawValue, label: t["claim_to_\($0.rawValue)"] ?? $0.rawValue, closes: $0.isClosed)
            },
            closing: (dto?.status.next ?? []).contains { $0.isClosed },
            today: today, fields: fields, interactions: interactions,
            journal: dto.flatMap { d in names.features.isEnabled(.interactions)
                ? Site.interactions.path + "?subjectType=claim&subjectId=\(d.id)" : nil },
            history: history)
        return try await WebPage.render("claim-card", titleKey: "nav_claims", page: body, for: req, status: status)
    }

    /// The documents a claim may rest on: the partner's latest sales, deals and interactions.
    static func basisOptions(_ partner: UUID, scope: AccessScope, features: FeatureSwitches, t: [String: String],
                             on db: any Database) async throws -> [(String, String)] {
        var options: [(String, String)] = []
        let sales = try await SaleQueries.scoped(scope, on: db).filter(\.$partnerID == partner).filter(\.$deletionMark == false)
            .sort(\.$date, .descending).range(0..<50).all()
        options += try sales.map { ("sale:\(try $0.requireID())", "\(t["claim_basis_sale"] ?? "sale") № \($0.number) \(RussianFormat.date($0.date))") }
        if features.isEnabled(.deals) {
            let deals = try await DealQueries.scoped(scope, on: db).filter(\.$partnerID == partner).filter(\.$deletionMark == false)
                .sort(\.$number, .descending).range(0..<50).all()
            options += try deals.map { ("deal:\(try $0.requireID())", "\(t["claim_basis_deal"] ?? "deal") № \($0.number) \($0.name)") }
        }
        return options
    }
}
