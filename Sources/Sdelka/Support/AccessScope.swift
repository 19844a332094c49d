import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// Which partners a user may see (DOMAIN.md §9): admins and heads all; others the partners of
/// the access groups granted to them. Every partner-scoped query goes through `apply`, so the
/// rule is enforced in the SQL itself and a later feature cannot forget it.
/// With the `accessGroups` part switched off, nobody is restricted.
enum AccessScope: Sendable, Equatable {
    case all
    case groups(Set<UUID>)

    static func of(_ user: CurrentUser, on db: any Database) async throws -> AccessScope {
        if user.role.seesAllPartners { return .all }
        guard try await SettingsStore.features(on: db).isEnabled(.accessGroups) else { return .all }
        let grants = try await UserAccessGroup.query(on: db)
            .filter(\.$user.$id == user.id)
            .all(\.$accessGroup.$id)
        return .groups(Set(grants))
    }

    /// Restricts a Fluent query of any model that carries an access-group reference.
    /// Records without a group are visible only to those who see everything.
    func apply<M: Model>(to query: QueryBuilder<M>, groupField: KeyPath<M, OptionalFieldProperty<M, UUID>>) -> QueryBuilder<M> {
        switch self {
        case .all: return query
        case .groups(let ids): return query.filter(groupField ~~ ids.map { Optional($0) })
        }
    }

    /// The rule on a joined model, for records that belong to a partner (counterparties,
    /// contact persons): the query must already join `Joined`.
    func apply<M: Model, Joined: Model>(to query: QueryBuilder<M>, joined: Joined.Type,
                                        groupField: KeyPath<Joined, OptionalFieldProperty<Joined, UUID>>) -> QueryBuilder<M> {
        switch self {
        case .all: return query
        case .groups(let ids): return query.filter(joined, groupField ~~ ids.map { Optional($0) })
        }
    }

    /// The same rule for SQLKit queries (reports, exports): `column IN (…)` with bound values.
    func apply<B: SQLPredicateBuilder>(to builder: B, column: any SQLExpression) -> B {
        switch self {
        case .all: return builder
        case .groups(let ids) where ids.isEmpty:
            return builder.where(SQLLiteral.boolean(false))
        case .groups(let ids):
            return builder.where(column, .in, SQLBind.group(Array(ids)))
        }
    }

    /// For records that point at partners by a column other than through a join (links refer
    /// to two): `column IN (SELECT id FROM partners WHERE access_group_id IN (…))`, nil for `.all`.
    func partnerVisible(_ column: any SQLExpression) -> (any SQLExpression)? {
        switch self {
        case .all: return nil
        case .groups(let ids) where ids.isEmpty: return SQLLiteral.boolean(false)
        case .groups(let ids):
            return SQLBinaryExpression(column, .in, SQLGroupExpression(SQLSubquery.select { $0
                .column("id").from(Partner.schema).where("access_group_id", .in, SQLBind.group(Array(ids)))
            }))
        }
    }

    func allows(_ groupID: UUID?) -> Bool {
        switch self {
        case .all: return true
        case .groups(let ids): return groupID.map(ids.contains) ?? false
        }
    }
}

extension Request {
    func accessScope() async throws -> AccessScope {
        try await AccessScope.of(user, on: db)
    }
}
