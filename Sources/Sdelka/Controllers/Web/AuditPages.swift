import Fluent
import SdelkaCore
import Vapor

/// The change log (Журнал изменений) with its filters.
enum AuditPages {
    struct Row: Encodable, Sendable {
        var at: String
        var user: String
        var action: String
        var objectType: String
        var objectId: String
        var changes: [Change]

        struct Change: Encodable, Sendable {
            var field: String
            var old: String
            var new: String
        }

        init(_ dto: AuditEntryDTO, vocabulary: AuditVocabulary, zone: TimeZone) {
            let strings = vocabulary.strings
            self.at = RussianFormat.dateTime(dto.at, zone: zone)
            self.user = dto.userLogin
            self.action = strings["audit_action_\(dto.action)"] ?? dto.action
            self.objectType = strings["object_\(dto.objectType)"] ?? dto.objectType
            self.objectId = dto.objectId
            // The identifier of a created object is its own link, not a change to read.
            self.changes = dto.changes.filter { $0.field != "id" }.map {
                Change(field: vocabulary.label($0.field), old: vocabulary.show($0.old, of: $0.field), new: vocabulary.show($0.new, of: $0.field))
            }
        }

        /// Each entry's changes are decoded once, for the names they need and for the rows.
        static func rows(_ entries: [AuditEntry], req: Request) async throws -> [Row] {
            let dtos = try entries.map(AuditEntryDTO.init)
            let vocabulary = try await AuditVocabulary.load(for: dtos.flatMap(\.changes), req: req)
            return dtos.map { Row($0, vocabulary: vocabulary, zone: req.application.sdelka.timeZone) }
        }
    }

    struct Body: Encodable, Sendable {
        var rows: [Row]
        var total: Int
        var objectType: String
        var userId: String
        var from: String
        var to: String
        var users: [UserPages.Option]
        var objectTypes: [UserPages.Option]
        var pager: Pager
    }

    /// The last changes of one object, for its card's history tab.
    static func history(of objectType: String, id: UUID, req: Request) async throws -> [Row] {
        try await Row.rows(AuditQueries.query(on: req.db, .init(objectType: objectType, objectID: id.uuidString)).limit(20).all(), req: req)
    }

    /// The object types the log knows so far; each feature adds its own.
    static let objectTypes = [Partner.objectType, Counterparty.objectType, ContactPerson.objectType, User.objectType,
                              BusinessRegion.objectType, AccessGroup.objectType, ContactRole.objectType, Channel.objectType,
                              Deal.objectType, DealKind.objectType, LossReason.objectType, UnsatisfiedReason.objectType, Segment.objectType, Interaction.objectType, Claim.objectType, ClaimCause.objectType, ClaimDepartment.objectType, Survey.objectType, SurveyTemplate.objectType, Mailing.objectType, MailingTopic.objectType, CompetitorPrice.objectType, CompetitorNote.objectType, CompetitorPriceSource.objectType, "questionnaire", "settings", "apiToken", "classificationRun"]

    static func register(on routes: any RoutesBuilder) {
        routes.get(Site.audit.component, use: list)
    }

    @Sendable static func list(req: Request) async throws -> Response {
        try req.require(.viewAudit)
        let filter = try AuditQueries.filter(from: req)
        let pageRequest = try PageRequest(req)
        let query = AuditQueries.query(on: req.db, filter)
        let (total, entries) = try await pageRequest.rows(query)
        let users = try await User.query(on: req.db).sort(\.$name).all()
        let strings = req.application.localizer.strings(WebPage.language(req))
        let body = Body(
            rows: try await Row.rows(entries, req: req), total: total,
            objectType: filter.objectType ?? "", userId: filter.userID?.uuidString ?? "",
            from: req.text("from") ?? "", to: req.text("to") ?? "",
            users: try users.map { .init(value: try $0.requireID().uuidString, label: $0.name, selected: $0.id == filter.userID) },
            objectTypes: objectTypes.map { .init(value: $0, label: strings["object_\($0)"] ?? $0, selected: $0 == filter.objectType) },
            pager: Pager(req, page: pageRequest.page, per: pageRequest.per, total: total))
        return try await WebPage.render("audit", titleKey: "nav_audit", page: body, for: req)
    }
}
