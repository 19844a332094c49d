import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// What a change log shows a person: field labels in their language, named values (kinds,
/// legal forms) by their labels and references by the names of what they point at, so that
/// a history reads «Менеджер: — → Иванова Анна» rather than «mainManagerId: — → 8F3A…».
/// Partners and their counterparties are named only when the user may see them.
struct AuditVocabulary: Sendable {
    let strings: [String: String]
    let names: [String: String]

    /// API field names whose label key does not follow from the name.
    static let labelKeys: [String: String] = [
        "mainManagerId": "field_manager", "businessRegionId": "field_region", "accessGroupId": "field_access_group",
        "parentId": "field_parent", "partnerId": "field_partner", "headCounterpartyId": "field_head_counterparty",
        "channelId": "field_channel", "eventId": "field_event", "referrerPartnerId": "field_referrer",
        "responsibleId": "field_responsible", "linkKindId": "field_link_kind", "linkedPartnerId": "field_partner",
        "isClient": "flag_client", "isSupplier": "flag_supplier", "isCompetitor": "flag_competitor", "isOther": "flag_other",
        "roleIds": "field_roles", "fullName": "field_full_name_public", "segmentIds": "field_segments", "accessGroupIds": "field_access_groups",
        "kindId": "field_deal_kind", "stageId": "field_stage", "lossReasonId": "field_loss_reason", "potentialAmount": "field_potential",
        "checklistOverride": "checklist_overridden", "task": "field_task", "stages": "section_stages", "type": "field_deal_kind_type",
        "demand": "section_demand", "participants": "section_participants", "source": "section_source",
        "counterpartyId": "field_counterparty", "organizationId": "field_organization", "dealId": "field_deal",
        "agreementId": "field_agreement", "contractId": "field_contract", "lineCount": "field_lines", "groupId": "field_product_group",
        "productId": "field_product", "lines": "section_lines", "number": "field_doc_number",
        "members": "segment_members", "added": "segment_added", "removed": "segment_removed", "rule": "field_rule",
        "stopList": "field_stop_list", "targetSegmentId": "field_target_segment",
        "authorId": "field_interaction_author", "basisId": "field_basis", "occurredAt": "field_when", "error": "mail_error",
        "recipients": "field_sms_recipients", "text": "field_sms_text", "from": "field_mail_from", "to": "field_mail_to",
        "cc": "field_mail_cc", "bodyText": "field_body",
        "causeId": "field_claim_cause", "departmentId": "field_claim_department", "guiltyUserId": "field_claim_guilty_user",
        "settledAmount": "field_claim_settled", "closedOn": "field_claim_closed_on", "result": "field_claim_result", "basis": "field_claim_basis",
    ]

    /// Fields that hold money: shown as «1 234,50 ₽».
    static let moneyFields: Set<String> = ["revenue", "cost", "price", "amount", "potentialAmount", "budget", "actualCost", "grossProfit", "settledAmount"]

    /// Fields whose values are named values with labels of their own.
    static let valueKeys: [String: String] = ["kind": "kind_", "legalForm": "legal_form_", "gender": "gender_", "role": "role_",
                                              "status": "deal_status_", "type": "deal_kind_type_"]

    /// Where a value is looked up when the first prefix has no label (a claim's status).
    static let otherValueKeys: [String: String] = ["status": "claim_status_"]

    static let namedTables = [ClaimCause.schema, ClaimDepartment.schema, User.schema, BusinessRegion.schema, AccessGroup.schema, Channel.schema, ContactRole.schema,
                              PartnerLinkKind.schema, MarketingEvent.schema, DealKind.schema, DealStage.schema, LossReason.schema,
                              UnsatisfiedReason.schema, Product.schema, ProductGroup.schema, Organization.schema, Agreement.schema,
                              Contract.schema, Deal.schema, Segment.schema]

    static func load(for changes: [FieldChange], req: Request) async throws -> AuditVocabulary {
        var ids = Set<UUID>()
        for change in changes {
            for value in [change.old, change.new] { collect(value, into: &ids) }
        }
        var names: [String: String] = [:]
        if !ids.isEmpty {
            struct Named: Decodable { var id: UUID; var name: String }
            for table in namedTables {
                for row in try await req.db.sql.select().columns("id", "name").from(table)
                    .where("id", .in, SQLBind.group(Array(ids))).all(decoding: Named.self) {
                    names[row.id.uuidString] = row.name
                }
            }
            // Sales documents are known by their number.
            struct Numbered: Decodable { var id: UUID; var number: String }
            for row in try await req.db.sql.select().columns("id", "number").from(Sale.schema)
                .where("id", .in, SQLBind.group(Array(ids))).all(decoding: Numbered.self) {
                names[row.id.uuidString] = "№ " + row.number
            }
            let scope = try await req.accessScope()
            for partner in try await PartnerQueries.scoped(scope, on: req.db).filter(\.$id ~~ Array(ids)).all() {
                names[try partner.requireID().uuidString] = partner.name
            }
            for counterparty in try await CounterpartyQueries.scoped(scope, on: req.db).filter(\.$id ~~ Array(ids)).all() {
                names[try counterparty.requireID().uuidString] = counterparty.name
            }
        }
        return AuditVocabulary(strings: req.application.localizer.strings(WebPage.language(req)), names: names)
    }

    private static func collect(_ value: JSONValue?, into ids: inout Set<UUID>) {
        switch value {
        case .string(let text)?: if text.count == 36, let id = UUID(uuidString: text) { ids.insert(id) }
        case .array(let items)?: for item in items { collect(item, into: &ids) }
        case .object(let fields)?: for item in fields.values { collect(item, into: &ids) }
        default: break
        }
    }

    func label(_ field: String) -> String {
        if let key = Self.labelKeys[field], let label = strings[key] { return label }
        let snake = field.reduce(into: "") { out, character in
            if character.isUppercase { out += "_" + character.lowercased() } else { out.append(character) }
        }
        return strings["field_" + snake] ?? field
    }

    func show(_ value: JSONValue?, of field: String) -> String {
        switch value {
        case nil, .null?: return "—"
        case .string(let text)?:
            if let prefix = Self.valueKeys[field], let label = strings[prefix + text] ?? Self.otherValueKeys[field].flatMap({ strings[$0 + text] }) {
                return label
            }
            if CalendarDate(text) != nil { return RussianFormat.date(text) }
            return names[text.uppercased()] ?? text
        case .bool(let flag)?: return flag ? "✓" : "✗"
        case .number(let number)?:
            if Self.moneyFields.contains(field), let cents = Money.cents(number) { return RussianFormat.money(cents: cents) }
            return "\(number)"
        case .array(let items)?:
            return items.isEmpty ? "—" : items.map { show($0, of: field) }.joined(separator: field == "stages" ? " → " : ", ")
        case .object(let fields)?:
            // A contact line shows its value; anything else its filled-in parts.
            if let value = fields["value"] { return show(value, of: "value") }
            // A stage (or another named part) shows its name.
            if let name = fields["name"] { return show(name, of: "name") }
            // A claim's basis: the kind of document and the document.
            if case .string(let type)? = fields["type"], let id = fields["id"], field == "basis" {
                return (strings["claim_basis_\(type)"] ?? type) + " " + show(id, of: "id")
            }
            let parts = fields.keys.sorted().map { show(fields[$0], of: $0) }.filter { $0 != "—" }
            return parts.isEmpty ? "—" : parts.joined(separator: ", ")
        }
    }
}
