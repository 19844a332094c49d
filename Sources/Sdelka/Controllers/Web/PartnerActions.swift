import Fluent
import SdelkaCore
import Vapor

/// Actions from the partner card: links to other partners and merge.
extension PartnerPages {
    /// From the card: `kind` is `<kindId>|out` (the other partner is the kind's reverse name
    /// to this one) or `<kindId>|in` (it is the kind's name).
    @Sendable static func addLink(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, partners) = try await req.record(PartnerService.self)
        let form = try PostedForm(req)
        let id = try partner.requireID()
        let parts = (form["kind"] ?? "").split(separator: "|").map(String.init)
        let other = form.uuid("otherId")
        let outgoing = parts.last == "out"
        let input = PartnerLinkInput(partnerId: outgoing ? id : other, linkedPartnerId: outgoing ? other : id,
                                     kindId: parts.first.flatMap { UUID(uuidString: $0) }, comment: form.text("comment"))
        do {
            _ = try await req.service(PartnerLinkService.self, scope: partners.scope).create(input)
            return WebPage.redirect(req, to: Site.partners.path(id), flash: WebPage.text(req, "link_added"))
        } catch let errors as FieldErrors {
            let reasons = FormErrors.localize(errors.fields, req)
            let message = reasons["linkedPartnerId"] ?? reasons["partnerId"] ?? reasons["kindId"] ?? reasons.values.first ?? ""
            return WebPage.redirect(req, to: Site.partners.path(id), flash: WebPage.text(req, "link_not_added") + ": " + message)
        }
    }

    /// From the card: this partner is merged into the one chosen (`intoId`), as the API does.
    @Sendable static func merge(req: Request) async throws -> Response {
        let user = try req.require(.editRecords)
        let (merged, service) = try await req.record(PartnerService.self)
        let scope = service.scope
        let id = try merged.requireID()
        let form = try PostedForm(req)
        guard let intoID = form.uuid("intoId"),
              let survivor = try await PartnerQueries.scoped(scope, on: req.db).filter(\.$id == intoID).first() else {
            return WebPage.redirect(req, to: Site.partners.path(id), flash: WebPage.text(req, "merge_failed") + ": "
                                    + (FormErrors.localize(["intoId": "names a partner that does not exist"], req)["intoId"] ?? ""))
        }
        do {
            _ = try await PartnerMerge.merge(merged, into: survivor, by: ChangeAuthor(user), on: req.db)
        } catch let errors as FieldErrors {
            return WebPage.redirect(req, to: Site.partners.path(id), flash: WebPage.text(req, "merge_failed") + ": "
                                    + (FormErrors.localize(errors.fields, req).values.first ?? ""))
        } catch {
            guard let failure = APIError(answering: error), failure.status == .unprocessableEntity || failure.status == .conflict else { throw error }
            let reason = failure.fields.flatMap { FormErrors.localize($0, req).values.first } ?? failure.message
            return WebPage.redirect(req, to: Site.partners.path(id), flash: WebPage.text(req, "merge_failed") + ": " + reason)
        }
        return WebPage.redirect(req, to: Site.partners.path(intoID),
                                flash: WebPage.text(req, "merged", ["name": merged.name, "into": survivor.name]))
    }

    @Sendable static func removeLink(req: Request) async throws -> Response {
        try req.require(.editRecords)
        let (partner, partners) = try await req.record(PartnerService.self)
        let id = try partner.requireID()
        guard let link = try await PartnerLinkService.scoped(partners.scope, on: req.db).filter(\.$id == req.idParameter("linkID"))
            .group(.or, { $0.filter(\.$partnerID == id).filter(\.$linkedPartnerID == id) }).first()
        else { throw APIError.notFound("partner link") }
        try await req.service(PartnerLinkService.self, scope: partners.scope).setDeletionMark(link, to: true, expectedVersion: nil)
        return WebPage.redirect(req, to: Site.partners.path(id), flash: WebPage.text(req, "link_removed"))
    }
}
