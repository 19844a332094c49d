import Fluent
import SdelkaCore
import Vapor

/// Deal kinds: a list and one form with the stages and, for a sales regulation, each stage's
/// checklist. A stage row left empty is dropped; blank rows are there to add more.
enum DealKindPages {
    /// The form pages; this type supplies only its form and how a posted one is read.
    static let forms = RecordFormPages<DealKindService>(
        section: .dealKinds,
        render: { req, record, form, errors, status in try await render(req, kind: record, form: form, errors: errors, status: status) },
        input: { req, form, creating in input(from: form) },
        clearable: [], nameField: "name")

    static func register(on routes: any RoutesBuilder) {
        let group = routes.grouped(Site.dealKinds.component)
        group.get(use: list)
        forms.register(on: group)
    }

    struct Row: Encodable, Sendable {
        var id: UUID; var name: String; var type: String; var stages: String; var allowed: Bool; var deletionMark: Bool
    }

    struct ListBody: Encodable, Sendable {
        var items: [Row]
        var includeDeleted: Bool
        var canEdit: Bool
    }

    struct StageRow: Encodable, Sendable {
        var index: Int
        var id: String
        var name: String
        var error: String?
        var checklist: [ActionRow]
    }

    struct ActionRow: Encodable, Sendable {
        var index: Int
        var id: String
        var text: String
        var required: Bool
        var dueDays: String
        var error: String?
    }

    struct FormBody: Encodable, Sendable {
        var form: RecordForm
        var stages: [StageRow]
        var stagesError: String?
    }

    @Sendable static func list(req: Request) async throws -> Response {
        let kinds = try await req.service(DealKindService.self).list(q: req.text("q"), includeDeleted: req.flag("includeDeleted")).all()
        let dtos = try await req.service(DealKindService.self).dtos(kinds)
        let t = req.application.localizer.strings(WebPage.language(req))
        let rows = dtos.map { k in
            Row(id: k.id, name: k.name, type: t["deal_kind_type_\(k.type.rawValue)"] ?? k.type.rawValue,
                stages: k.stages.map(\.name).joined(separator: " → "), allowed: k.allowed, deletionMark: k.deletionMark)
        }
        return try await WebPage.render("deal-kinds", titleKey: "nav_deal_kinds", page: ListBody(
            items: rows, includeDeleted: req.flag("includeDeleted"), canEdit: try req.user.role.can(.manageCatalogs)), for: req)
    }

    static func input(from form: PostedForm) -> DealKindInput {
        var input = DealKindInput()
        input.name = form.text("name") ?? ""
        input.type = form.text("type")
        input.useDemand = form.flag("useDemand")
        input.allowed = form.flag("allowed")
        input.comment = form.text("comment")
        input.version = form.text("version").flatMap { Int($0) }
        input.stages = (0..<60).compactMap { index in
            guard let name = form.text("stages.\(index).name").cleaned else { return nil }
            let checklist = (0..<40).compactMap { line -> ChecklistActionDTO? in
                let prefix = "stages.\(index).checklist.\(line)."
                guard let text = form.text(prefix + "text").cleaned else { return nil }
                return ChecklistActionDTO(id: form.uuid(prefix + "id"), text: text, required: form.flag(prefix + "required"),
                                          dueDays: form.text(prefix + "dueDays").cleaned.flatMap { Int($0) })
            }
            return DealStageDTO(id: form.uuid("stages.\(index).id"), name: name, order: nil, checklist: checklist)
        }
        return input
    }

    static func render(_ req: Request, kind: DealKind?, form: PostedForm?, errors: [String: String],
                       status: HTTPStatus = .ok) async throws -> Response {
        let t = req.application.localizer.strings(WebPage.language(req))
        let service = try await req.service(DealKindService.self)
        let (dto, history) = try await StoredRecord.load(kind, service: service, req: req).pair
        let make = FieldMaker(t: t, form: form, errors: errors)
        let fields = [
            make.field("name", "field_name", stored: dto?.name, required: true),
            make.select("type", "field_deal_kind_type", DealKind.KindType.allCases.map { ($0.rawValue, t["deal_kind_type_\($0.rawValue)"] ?? $0.rawValue) },
                        stored: dto?.type.rawValue ?? DealKind.KindType.manual.rawValue, blank: nil),
            make.checkbox("allowed", "field_allowed", stored: dto?.allowed, default: true),
            make.checkbox("useDemand", "field_use_demand", stored: dto?.useDemand),
            make.field("comment", "field_comment", .textarea, stored: dto?.comment, wide: true),
        ]
        let page = RecordForm(
            heading: dto?.name ?? make.label("deal_kind_new"), back: Site.dealKinds.path, backLabel: make.label("nav_deal_kinds"),
            action: dto.map { Site.dealKinds.path($0.id) } ?? Site.dealKinds.path, id: dto?.id, version: dto?.version ?? 0,
            deletionMark: dto?.deletionMark ?? false, canEdit: try req.user.role.can(.manageCatalogs), formError: errors["form"],
            sections: [FormSection(title: nil, fields: fields)], hasContacts: false, contacts: [], contactTypes: [],
            duplicates: [], history: history, deleteAction: dto.map { Site.dealKinds.path($0.id) })
        let stages = form.map { input(from: $0).stages ?? [] } ?? dto?.stages ?? []
        var rows = stages.enumerated().map { index, stage in
            StageRow(index: index, id: stage.id?.uuidString ?? "", name: stage.name, error: errors["stages.\(index).name"] ?? errors["stages.\(index).id"] ?? errors["stages.\(index).checklist"],
                     checklist: actionRows(stage.checklist ?? [], stage: index, errors: errors))
        }
        for _ in 0..<2 { rows.append(StageRow(index: rows.count, id: "", name: "", error: nil, checklist: actionRows([], stage: rows.count, errors: [:]))) }
        return try await WebPage.render("deal-kind-form", titleKey: "nav_deal_kinds",
                                        page: FormBody(form: page, stages: rows, stagesError: errors["stages"]), for: req, status: status)
    }

    private static func actionRows(_ actions: [ChecklistActionDTO], stage: Int, errors: [String: String]) -> [ActionRow] {
        var rows = actions.enumerated().map { index, a in
            ActionRow(index: index, id: a.id?.uuidString ?? "", text: a.text, required: a.required, dueDays: a.dueDays.map(String.init) ?? "",
                      error: errors["stages.\(stage).checklist.\(index).text"] ?? errors["stages.\(stage).checklist.\(index).dueDays"])
        }
        for _ in 0..<2 { rows.append(ActionRow(index: rows.count, id: "", text: "", required: false, dueDays: "", error: nil)) }
        return rows
    }
}
