/// A user's role (DOMAIN.md §9). What each role may do is decided here and nowhere else.
public enum Role: String, Codable, CaseIterable, Sendable {
    case admin, head, manager, marketer, viewer

    public func can(_ permission: Permission) -> Bool {
        Self.grants[self, default: []].contains(permission)
    }

    /// Admins and heads of sales see every partner regardless of access groups.
    public var seesAllPartners: Bool { can(.seeAllPartners) }

    private static let grants: [Role: Set<Permission>] = [
        .admin: Set(Permission.allCases),
        .head: [.editRecords, .manageCatalogs, .seeAllPartners, .overrideChecklist, .viewAudit, .runClassification],
        .manager: [.editRecords],
        .marketer: [.editRecords, .manageCatalogs, .runClassification],
        .viewer: [],
    ]
}

public enum Permission: String, CaseIterable, Sendable {
    /// Create, change and deactivate users.
    case manageUsers
    /// Feature switches, classification settings.
    case manageSettings
    /// Partner access groups: they decide who sees what, so only admins touch them.
    case manageAccessGroups
    /// Shared catalogues: business regions, channels, loss reasons and the like.
    case manageCatalogs
    /// Partners, deals, interactions, sales: the everyday records.
    case editRecords
    case seeAllPartners
    case overrideChecklist
    case viewAudit
    /// Run ABC/XYZ classification on demand (it also runs on a schedule).
    case runClassification
    /// Physically delete objects marked for deletion.
    case purge
}
