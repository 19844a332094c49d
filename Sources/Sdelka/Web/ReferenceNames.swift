import Fluent
import SdelkaCore
import Vapor

/// The small catalogues a page needs as names and choices, read once per page: users,
/// regions, access groups, channels, contact roles, link kinds (never per row).
struct ReferenceNames: Sendable {
    var features: FeatureSwitches
    var users: [(UUID, String)] = []
    var regions: [(UUID, String)] = []
    var groups: [(UUID, String)] = []
    var channels: [(UUID, String)] = []
    var contactRoles: [(UUID, String)] = []
    var linkKinds: [(id: UUID, name: String, reverse: String)] = []
    var segments: [(UUID, String)] = []

    static func load(_ req: Request) async throws -> ReferenceNames {
        let db = req.db
        var names = ReferenceNames(features: try await SettingsStore.features(on: db))
        names.users = try await User.query(on: db).filter(\.$deletionMark == false).filter(\.$active == true)
            .sort(\.$name).all().map { (try $0.requireID(), $0.name) }
        if names.features.isEnabled(.businessRegions) { names.regions = try await catalog(BusinessRegion.self, db) }
        if names.features.isEnabled(.accessGroups) {
            let scope = try await req.accessScope()
            names.groups = try await catalog(AccessGroup.self, db).filter { scope.allows($0.0) }
        }
        names.channels = try await catalog(Channel.self, db)
        names.contactRoles = try await catalog(ContactRole.self, db)
        if names.features.isEnabled(.segments) {
            names.segments = try await Segment.query(on: db).filter(\.$deletionMark == false).sort(\.$name).all().map { (try $0.requireID(), $0.name) }
        }
        names.linkKinds = try await PartnerLinkKind.query(on: db).filter(\.$deletionMark == false).sort(\.$name).all()
            .map { (try $0.requireID(), $0.name, $0.reverseName ?? $0.name) }
        return names
    }

    /// A catalogue's live items by name.
    static func catalog<M: CatalogModel>(_: M.Type, _ db: any Database) async throws -> [(UUID, String)] {
        try await M.query(on: db).filter("deletion_mark", .equal, false).sort("name").all().map { (try $0.requireID(), $0.name) }
    }

    static func name(_ id: UUID?, in list: [(UUID, String)]) -> String {
        guard let id else { return "" }
        return list.first { $0.0 == id }?.1 ?? ""
    }

    static func options(_ list: [(UUID, String)], selected: UUID?, blank: String) -> [FormOption] {
        FormOptions.make(list.map { ($0.0.uuidString, $0.1) }, selected: selected?.uuidString, blank: blank)
    }
}
