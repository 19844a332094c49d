import SdelkaCore
import Vapor

/// A record type's form pages: the blank form, the record's form, creating, saving, marking
/// and restoring, all through the type's service as the API goes. A page supplies only what is
/// its own: how its form looks (`render`) and how a posted form becomes the service's input.
struct RecordFormPages<S: RecordService>: Sendable where S.DTO: RecordRepresentation {
    typealias Render = @Sendable (_ req: Request, _ record: S.Record?, _ form: PostedForm?, _ errors: [String: String],
                                  _ status: HTTPStatus) async throws -> Response
    typealias Read = @Sendable (_ req: Request, _ form: PostedForm, _ creating: Bool) async throws -> S.Input

    let section: Site
    let render: Render
    let input: Read
    /// The fields an emptied box clears (an emptied box of any other field leaves it as it was).
    var clearable: [String] = []
    /// The field whose posted value names the record in the confirmation.
    var nameField = "name"
    /// Where saving leads: the record's own page, unless the record lives on another's.
    var saved: (@Sendable (S.Record) throws -> String)? = nil

    /// `/<section>/new`, `POST /<section>`, `/<section>/:id`, `POST /<section>/:id`, and its
    /// mark and restore buttons.
    func register(on group: any RoutesBuilder) {
        group.get(SitePage.new.component, use: new)
        group.post(use: create)
        group.get(":id", use: edit)
        group.post(":id", use: update)
        let section = section
        RecordPageActions<S>.register(on: group) { section.path($0) }
    }

    @Sendable func new(req: Request) async throws -> Response {
        try req.require(S.editPermission)
        return try await render(req, nil, nil, [:], .ok)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        try await render(req, try await req.record(S.self).0, nil, [:], .ok)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.require(S.editPermission)
        let form = try PostedForm(req)
        let service: S = try await req.service()
        return try await FormFlow.save(req, flashKey: "created", name: form.text(nameField) ?? "", write: {
            try next(after: try await service.create(try await input(req, form, true)))
        }, rerender: { errors in
            try await render(req, nil, form, errors, .unprocessableEntity)
        })
    }

    @Sendable func update(req: Request) async throws -> Response {
        try req.require(S.editPermission)
        let (record, service) = try await req.record(S.self)
        let form = try PostedForm(req)
        let id = try record.requireID()
        let clearing = form.empty(clearable)
        var name = form.text(nameField)
        if name == nil { name = try await service.dto(record).title }
        return try await FormFlow.save(req, flashKey: "saved", name: name ?? "", write: {
            try await service.update(record, with: try await input(req, form, false), clearing: clearing)
            return try next(after: record)
        }, rerender: { errors in
            try await render(req, try await service.find(id), form, errors, .unprocessableEntity)
        })
    }

    private func next(after record: S.Record) throws -> String {
        try saved?(record) ?? section.path(record.requireID())
    }
}
