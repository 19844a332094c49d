import Fluent
import SdelkaCore
import Vapor

/// Рабочий стол: the user's starting page. Tasks, reviews due and open deals join it as those
/// parts are built; until then it shows the state of the system and what to do next.
enum DashboardPage {
    struct Body: Encodable, Sendable {
        var users: Int
        var regions: Int
        var accessGroups: Int
        var enabledFeatures: Int
        var totalFeatures: Int
        var canManage: Bool
        var recent: [AuditPages.Row]
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.user
        let features = try await SettingsStore.features(on: req.db)
        let recent: [AuditPages.Row]
        if user.role.can(.viewAudit) {
            let entries = try await AuditQueries.query(on: req.db, .init()).limit(8).all()
            recent = try await AuditPages.Row.rows(entries, req: req)
        } else {
            recent = []
        }
        let body = Body(
            users: try await User.query(on: req.db).filter(\.$deletionMark == false).count(),
            regions: try await BusinessRegion.query(on: req.db).filter(\.$deletionMark == false).count(),
            accessGroups: try await AccessGroup.query(on: req.db).filter(\.$deletionMark == false).count(),
            enabledFeatures: FeatureSwitches.Feature.allCases.filter(features.isEnabled).count,
            totalFeatures: FeatureSwitches.Feature.allCases.count,
            canManage: user.role.can(.manageSettings),
            recent: recent)
        return try await WebPage.render("dashboard", titleKey: "nav_desktop", page: body, for: req)
    }
}
