import SdelkaCore
import Vapor

/// Posted partner form → the API's `PartnerInput`: the web form writes through the same
/// service and rules as the API.
enum PartnerFormInput {
    static func partner(from form: PostedForm, features: FeatureSwitches) -> PartnerInput {
        var input = PartnerInput()
        input.name = form.text("name") ?? ""
        input.fullName = form.text("fullName")
        input.code = form.text("code")
        input.kind = form.text("kind")
        input.parentId = form.uuid("parentId")
        input.isClient = form.flag("isClient")
        input.isSupplier = form.flag("isSupplier")
        input.isCompetitor = form.flag("isCompetitor")
        input.isOther = form.flag("isOther")
        input.mainManagerId = form.uuid("mainManagerId")
        input.businessRegionId = form.uuid("businessRegionId")
        input.accessGroupId = form.uuid("accessGroupId")
        input.registeredOn = form.text("registeredOn")
        let isPerson = form.text("kind") == Partner.Kind.person.rawValue
        input.gender = isPerson ? form.text("gender") : ""
        input.birthDate = isPerson ? form.text("birthDate") : ""
        input.comment = form.text("comment")
        input.contacts = form.contacts()
        input.version = form.text("version").flatMap { Int($0) }
        if let channel = form.uuid("source.channelId") {
            input.source = SourceDTO(channelId: channel, eventId: form.uuid("source.eventId"),
                                     referrerPartnerId: form.uuid("source.referrerPartnerId"), note: form.text("source.note").cleaned)
        }
        if !features.isEnabled(.independentCounterparties), form.values.keys.contains("counterparty.inn") {
            var counterparty = CounterpartyInput()
            counterparty.name = form.text("counterparty.name")
            counterparty.legalForm = form.text("counterparty.legalForm")
            counterparty.inn = form.text("counterparty.inn")
            counterparty.kpp = form.text("counterparty.kpp")
            counterparty.ogrn = form.text("counterparty.ogrn")
            counterparty.okpo = form.text("counterparty.okpo")
            input.counterparty = counterparty
        }
        return input
    }
}

/// The partner form's sections, filled from what was posted (after an error) or from the
/// stored partner.
struct PartnerFormBuilder {
    let t: [String: String]
    let names: ReferenceNames
    let form: PostedForm?
    let dto: PartnerDTO?
    let counterparty: Counterparty?
    let parentName: String
    let referrerName: String
    let events: [(UUID, String)]
    let errors: [String: String]

    private var maker: FieldMaker { FieldMaker(t: t, form: form, errors: errors) }
    private func label(_ key: String) -> String { maker.label(key) }
    private func value(_ name: String, _ stored: String?) -> String { maker.value(name, stored) }

    private func field(_ name: String, _ key: String, _ type: FormField.Kind = .text, stored: String? = nil,
                       required: Bool = false, wide: Bool = false, hint: String? = nil) -> FormField {
        maker.field(name, key, type, stored: stored, required: required, wide: wide, hint: hint)
    }

    private func select(_ name: String, _ key: String, _ options: [(String, String)], stored: String?, blank: String? = "—") -> FormField {
        maker.select(name, key, options, stored: stored, blank: blank)
    }

    func sections() -> [FormSection] {
        let kind = value("kind", dto?.kind ?? Partner.Kind.company.rawValue)
        var main = [
            field("name", "field_name", stored: dto?.name, required: true),
            field("fullName", "field_full_name_public", stored: dto?.fullName),
            select("kind", "field_kind", Partner.Kind.allCases.map { ($0.rawValue, label("kind_\($0.rawValue)")) }, stored: kind, blank: nil),
            field("code", "field_code", stored: dto?.code, hint: "hint_code"),
            FormField(name: "parentId", label: label("field_parent"), type: .lookup, value: value("parentId", dto?.parentId?.uuidString),
                      display: parentName, lookup: Site.lookup.path(.partners), hint: label("hint_parent")).withError(errors),
            field("registeredOn", "field_registered_on", .date, stored: dto?.registeredOn),
        ]
        main += [("isClient", "flag_client", dto?.isClient, true), ("isSupplier", "flag_supplier", dto?.isSupplier, false),
                 ("isCompetitor", "flag_competitor", dto?.isCompetitor, false), ("isOther", "flag_other", dto?.isOther, false)]
            .map { name, key, stored, fallback in maker.checkbox(name, key, stored: stored, default: fallback) }
        var gender = select("gender", "field_gender", Partner.Gender.allCases.map { ($0.rawValue, label("gender_\($0.rawValue)")) }, stored: dto?.gender)
        var birthDate = field("birthDate", "field_birth_date", .date, stored: dto?.birthDate, hint: "hint_person_only")
        gender.personOnly = true
        birthDate.personOnly = true
        main += [gender, birthDate, field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true)]
        var responsibility = [
            select("mainManagerId", "field_manager", names.users.map { ($0.0.uuidString, $0.1) }, stored: dto?.mainManagerId?.uuidString),
        ]
        if names.features.isEnabled(.businessRegions) {
            responsibility.append(select("businessRegionId", "field_region", names.regions.map { ($0.0.uuidString, $0.1) },
                                         stored: dto?.businessRegionId?.uuidString))
        }
        if names.features.isEnabled(.accessGroups) {
            responsibility.append(select("accessGroupId", "field_access_group", names.groups.map { ($0.0.uuidString, $0.1) },
                                         stored: dto?.accessGroupId?.uuidString))
        }
        var sections = [FormSection(title: nil, fields: main), FormSection(title: label("section_responsibility"), fields: responsibility)]
        if !names.features.isEnabled(.independentCounterparties) {
            let c = counterparty
            sections.append(FormSection(title: label("section_counterparty"), fields: [
                field("counterparty.name", "field_counterparty_name", stored: c?.name, hint: "hint_counterparty_name"),
                select("counterparty.legalForm", "field_legal_form", LegalForm.allCases.map { ($0.rawValue, label("legal_form_\($0.rawValue)")) },
                       stored: c?.legalForm.rawValue ?? LegalForm.legalEntity.rawValue, blank: nil),
                field("counterparty.inn", "field_inn", stored: c?.inn),
                field("counterparty.kpp", "field_kpp", stored: c?.kpp),
                field("counterparty.ogrn", "field_ogrn", stored: c?.ogrn),
                field("counterparty.okpo", "field_okpo", stored: c?.okpo),
            ]))
        }
        var source = [
            select("source.channelId", "field_channel", names.channels.map { ($0.0.uuidString, $0.1) }, stored: dto?.source?.channelId.uuidString),
        ]
        if names.features.isEnabled(.marketingEvents) {
            source.append(select("source.eventId", "field_event", events.map { ($0.0.uuidString, $0.1) }, stored: dto?.source?.eventId?.uuidString))
        }
        source += [
            FormField(name: "source.referrerPartnerId", label: label("field_referrer"), type: .lookup,
                      value: value("source.referrerPartnerId", dto?.source?.referrerPartnerId?.uuidString),
                      display: referrerName, lookup: Site.lookup.path(.partners)).withError(errors),
            field("source.note", "field_note", stored: dto?.source?.note),
        ]
        sections.append(FormSection(title: label("section_source"), fields: source))
        return sections
    }

    func contactRows() -> [ContactRow] {
        FormFlow.contactRows(stored: dto?.contacts ?? [], form: form, errors: errors)
    }
}
