import Foundation
import SdelkaCore
import Vapor

/// The segment form: its fields and rule as form fields, and back from posted values to the
/// API's input. Posted names follow the API's field names (`rule.sales.minRevenue`), so that
/// its field errors land beside the right inputs.
enum SegmentForm {
    static func input(from form: PostedForm) throws -> SegmentInput {
        var errors = FieldErrors()
        var input = SegmentInput()
        input.name = form.text("name") ?? ""
        input.kind = form.text("kind").flatMap(SegmentKind.init(rawValue:))
        input.stopList = form.flag("stopList")
        input.comment = form.text("comment")
        input.version = form.text("version").flatMap { Int($0) }
        guard let kind = input.kind, kind.hasRule else { return input }
        func flag(_ name: String) -> Bool? { form.text(name).flatMap { $0 == "true" ? true : $0 == "false" ? false : nil } }
        func date(_ name: String) -> CalendarDate? {
            guard let text = form.text(name).cleaned else { return nil }
            guard let date = CalendarDate(accepting: text) else { errors.add(name, CalendarDate.acceptedMessage); return nil }
            return date
        }
        func int(_ name: String) -> Int? {
            guard let text = form.text(name).cleaned else { return nil }
            guard let value = Int(text) else { errors.add(name, "must be a whole number"); return nil }
            return value
        }
        func money(_ name: String) -> Decimal? {
            guard let text = form.text(name).cleaned else { return nil }
            guard let value = Money.parse(text) else { errors.add(name, "must be a number"); return nil }
            return value
        }
        func ids(_ name: String) -> [UUID]? {
            let chosen = form.chosen(name).compactMap(UUID.init(uuidString:))
            return chosen.isEmpty ? nil : chosen
        }
        var rule = SegmentRule()
        rule.isClient = flag("rule.isClient")
        rule.isSupplier = flag("rule.isSupplier")
        rule.isCompetitor = flag("rule.isCompetitor")
        rule.kind = form.text("rule.kind").cleaned
        rule.mainManagerIds = ids("rule.mainManagerIds")
        rule.businessRegionIds = ids("rule.businessRegionIds")
        rule.accessGroupIds = ids("rule.accessGroupIds")
        rule.registeredFrom = date("rule.registeredFrom")
        rule.registeredTo = date("rule.registeredTo")
        if let measure = form.text("rule.classes.measure").flatMap(ClassificationMeasure.init(rawValue:)) {
            let abc = form.chosen("rule.classes.abc").compactMap(ABCClass.init(rawValue:))
            let xyz = form.chosen("rule.classes.xyz").compactMap(XYZClass.init(rawValue:))
            rule.classes = .init(measure: measure, abc: abc.isEmpty ? nil : abc, xyz: xyz.isEmpty ? nil : xyz)
        }
        let sales = SegmentRule.Sales(lastDays: int("rule.sales.lastDays"), from: date("rule.sales.from"), to: date("rule.sales.to"),
                                      minRevenue: money("rule.sales.minRevenue"), maxRevenue: money("rule.sales.maxRevenue"),
                                      minDocuments: int("rule.sales.minDocuments"))
        if sales != SegmentRule.Sales() { rule.sales = sales }
        rule.noSalesDays = int("rule.noSalesDays")
        rule.hasOpenDeals = flag("rule.hasOpenDeals")
        rule.interactionWithinDays = int("rule.interactionWithinDays")
        rule.noInteractionDays = int("rule.noInteractionDays")
        try errors.check()
        input.rule = rule
        return input
    }

    static func sections(_ dto: SegmentDTO?, make: FieldMaker, names: ReferenceNames, t: [String: String]) -> [FormSection] {
        let rule = dto?.rule
        let yesNo = [("true", t["yes"] ?? "yes"), ("false", t["no"] ?? "no")]
        func flag(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
        func ids(_ list: [UUID]?) -> Set<String> { Set((list ?? []).map(\.uuidString)) }
        let main = [
            make.field("name", "field_name", stored: dto?.name, required: true),
            make.select("kind", "field_segment_kind", SegmentKind.allCases.map { ($0.rawValue, t["segment_kind_\($0.rawValue)"] ?? $0.rawValue) },
                        stored: dto?.kind.rawValue ?? SegmentKind.manual.rawValue, blank: nil),
            make.checkbox("stopList", "field_stop_list", stored: dto?.stopList),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        var partner = [
            make.select("rule.isClient", "flag_client", yesNo, stored: flag(rule?.isClient), blank: t["filter_any"]),
            make.select("rule.isSupplier", "flag_supplier", yesNo, stored: flag(rule?.isSupplier), blank: t["filter_any"]),
            make.select("rule.isCompetitor", "flag_competitor", yesNo, stored: flag(rule?.isCompetitor), blank: t["filter_any"]),
            make.select("rule.kind", "field_partner_kind", Partner.Kind.allCases.map { ($0.rawValue, t["kind_\($0.rawValue)"] ?? $0.rawValue) },
                        stored: rule?.kind, blank: t["filter_any"]),
            make.field("rule.registeredFrom", "field_registered_from", .date, stored: rule?.registeredFrom?.description),
            make.field("rule.registeredTo", "field_registered_to", .date, stored: rule?.registeredTo?.description),
            make.checkboxes("rule.mainManagerIds", "field_manager", names.users.map { ($0.0.uuidString, $0.1) }, stored: ids(rule?.mainManagerIds)),
        ]
        if names.features.isEnabled(.businessRegions) {
            partner.append(make.checkboxes("rule.businessRegionIds", "field_region", names.regions.map { ($0.0.uuidString, $0.1) }, stored: ids(rule?.businessRegionIds)))
        }
        if names.features.isEnabled(.accessGroups) {
            partner.append(make.checkboxes("rule.accessGroupIds", "field_access_group", names.groups.map { ($0.0.uuidString, $0.1) }, stored: ids(rule?.accessGroupIds)))
        }
        let measures = names.features.classificationMeasures.map { ($0.rawValue, t["measure_\($0.rawValue)"] ?? $0.rawValue) }
        let sales = rule?.sales
        let money = { (value: Decimal?) in value.map { "\($0)" } }
        var facts = [
            make.field("rule.sales.lastDays", "field_sales_last_days", .number, stored: sales?.lastDays.map(String.init), hint: "hint_sales_window"),
            make.field("rule.sales.from", "field_sales_from", .date, stored: sales?.from?.description),
            make.field("rule.sales.to", "field_sales_to", .date, stored: sales?.to?.description),
            make.field("rule.sales.minRevenue", "field_min_revenue", stored: money(sales?.minRevenue), hint: "hint_money"),
            make.field("rule.sales.maxRevenue", "field_max_revenue", stored: money(sales?.maxRevenue), hint: "hint_money"),
            make.field("rule.sales.minDocuments", "field_min_documents", .number, stored: sales?.minDocuments.map(String.init)),
            make.field("rule.noSalesDays", "field_no_sales_days", .number, stored: rule?.noSalesDays.map(String.init), hint: "hint_no_sales_days"),
        ]
        if names.features.isEnabled(.deals) {
            facts.append(make.select("rule.hasOpenDeals", "field_has_open_deals", yesNo, stored: flag(rule?.hasOpenDeals), blank: t["filter_any"]))
        }
        if names.features.isEnabled(.interactions) {
            facts.append(make.field("rule.interactionWithinDays", "field_interaction_within_days", .number, stored: rule?.interactionWithinDays.map(String.init)))
            facts.append(make.field("rule.noInteractionDays", "field_no_interaction_days", .number, stored: rule?.noInteractionDays.map(String.init)))
        }
        if !measures.isEmpty {
            facts += [
                make.select("rule.classes.measure", "field_classes_measure", measures, stored: rule?.classes?.measure.rawValue, blank: "—"),
                make.checkboxes("rule.classes.abc", "field_abc_classes", ABCClass.allCases.map { ($0.rawValue, t["class_\($0.rawValue)"] ?? $0.rawValue) },
                                stored: Set((rule?.classes?.abc ?? []).map(\.rawValue))),
                make.checkboxes("rule.classes.xyz", "field_xyz_classes", XYZClass.allCases.map { ($0.rawValue, t["class_\($0.rawValue)"] ?? $0.rawValue) },
                                stored: Set((rule?.classes?.xyz ?? []).map(\.rawValue))),
            ]
        }
        return [FormSection(title: nil, fields: main),
                FormSection(title: t["section_rule_partner"], fields: partner),
                FormSection(title: t["section_rule_facts"], fields: facts)]
    }
}
