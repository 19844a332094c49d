import Fluent
import SdelkaCore
import Vapor

/// A contact person's form, reached from the partner's card; the web twin of `ContactPersonsController`.
enum ContactPersonPages {
    /// The form pages: a person is made from its partner's card, which saving returns to.
    static let forms = RecordFormPages<ContactPersonService>(
        section: .contactPersons,
        render: { req, record, form, errors, status in
            let partner = try await CounterpartyPages.owner(req, record?.partnerID ?? form?.uuid("partnerId") ?? req.query[UUID.self, at: "partnerId"])
            return try await render(req, partner: partner, person: record, form: form, errors: errors, status: status)
        },
        input: { req, form, creating in
            var input = input(from: form)
            if creating { input.partnerId = try await CounterpartyPages.owner(req, form.uuid("partnerId")).requireID() }
            return input
        },
        saved: { Site.partners.path($0.partnerID) })

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.contactPersons.component)
        forms.register(on: group)
    }

    static func input(from form: PostedForm) -> ContactPersonInput {
        var input = ContactPersonInput()
        input.name = form.text("name") ?? ""
        input.position = form.text("position")
        input.roles = form.chosen("roles").compactMap { UUID(uuidString: $0) }
        input.gender = form.text("gender")
        input.birthDate = form.text("birthDate")
        input.since = form.text("since")
        input.until = form.text("until")
        input.contacts = form.contacts()
        input.version = form.text("version").flatMap { Int($0) }
        return input
    }

    static func render(_ req: Request, partner: Partner, person: ContactPerson?, form: PostedForm?,
                       errors: [String: String], status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let partnerID = try partner.requireID()
        let scope = try await req.accessScope()
        let (dto, history) = try await StoredRecord.load(person, service: req.service(ContactPersonService.self, scope: scope), req: req).pair
        let names = try await ReferenceNames.load(req)
        let make = FieldMaker(t: t, form: form, errors: errors)
        let fields = [
            make.field("name", "field_person_name", stored: dto?.name, required: true),
            make.field("position", "field_position", stored: dto?.position),
            make.checkboxes("roles", "field_roles", names.contactRoles.map { ($0.0.uuidString, $0.1) },
                            stored: Set((dto?.roles ?? []).map(\.uuidString))),
            make.select("gender", "field_gender", Partner.Gender.allCases.map { ($0.rawValue, make.label("gender_\($0.rawValue)")) }, stored: dto?.gender),
            make.field("birthDate", "field_birth_date", .date, stored: dto?.birthDate),
            make.field("since", "field_since", .date, stored: dto?.since),
            make.field("until", "field_until", .date, stored: dto?.until, hint: "hint_until"),
        ]
        let page = RecordForm(
            heading: dto?.name ?? make.label("contact_person_new"), back: Site.partners.path(partnerID), backLabel: partner.name,
            action: dto.map { Site.contactPersons.path($0.id) } ?? Site.contactPersons.path,
            id: dto?.id, version: dto?.version ?? 0, deletionMark: dto?.deletionMark ?? false,
            canEdit: try req.user.role.can(.editRecords), formError: errors["form"] ?? errors["partnerId"],
            sections: [FormSection(title: nil, fields: fields)], hasContacts: true,
            contacts: FormFlow.contactRows(stored: dto?.contacts ?? [], form: form, errors: errors), contactTypes: FormFlow.contactTypes(t),
            duplicates: [], history: history,
            hidden: dto == nil ? [HiddenField(name: "partnerId", value: partnerID.uuidString)] : [],
            deleteAction: dto.map { Site.contactPersons.path($0.id) })
        return try await WebPage.render("record-form", titleKey: "section_contact_persons", page: page, for: req, status: status)
    }
}
