import Fluent
import SQLKit
import Testing
import Vapor
@testable import Sdelka

/// The record-level rule, exercised on a real table through both query paths (Fluent and
/// SQLKit), since partner-scoped tables all go through `AccessScope.apply`.
@Suite struct AccessScopeTests {
    final class Thing: Model, @unchecked Sendable {
        static let schema = "scoped_things"
        @ID(key: .id) var id: UUID?
        @Field(key: "name") var name: String
        @OptionalField(key: "access_group_id") var accessGroupID: UUID?
        init() {}
        init(name: String, group: UUID?) { self.name = name; self.accessGroupID = group }
    }

    @Test(arguments: TestDB.all)
    func usersSeeOnlyTheirGroupsAdminsAndHeadsSeeAll(db: TestDB) async throws {
        try await withSdelka(db) { app in
            try await app.db.schema(Thing.schema).id().field("name", .string, .required)
                .field("access_group_id", .uuid).create()
            let admin = try await API.admin(app)
            let retail = try await admin.post("/api/v1/access-groups", ["name": "Розница"]).json()["id"] as! String
            let wholesale = try await admin.post("/api/v1/access-groups", ["name": "Опт"]).json()["id"] as! String
            for (name, group) in [("shop", retail), ("depot", wholesale), ("orphan", nil)] {
                try await Thing(name: name, group: group.flatMap(UUID.init(uuidString:))).create(on: app.db)
            }
            _ = try await admin.createUser("petrov", role: "manager", groups: [retail])
            _ = try await admin.createUser("head", role: "head")
            _ = try await admin.createUser("nobody", role: "viewer")

            func visible(_ login: String) async throws -> [String] {
                let user = try #require(try await User.query(on: app.db).filter(\.$login == login).first())
                let token = UserToken(userID: try user.requireID(), kind: .login, name: nil, tokenHash: "x", expiresAt: Date())
                token.id = UUID()
                let scope = try await AccessScope.of(try CurrentUser(user: user, token: token), on: app.db)
                let viaFluent = try await scope.apply(to: Thing.query(on: app.db), groupField: \.$accessGroupID)
                    .sort(\.$name).all().map(\.name)
                struct Row: Decodable { var name: String }
                let viaSQL = try await scope.apply(to: app.db.sql.select().column("name").from(Thing.schema),
                                                   column: SQLIdentifier("access_group_id"))
                    .orderBy("name").all(decoding: Row.self).map(\.name)
                #expect(viaFluent == viaSQL, "both query paths apply the same rule")
                return viaFluent
            }
            #expect(try await visible("petrov") == ["shop"])
            #expect(try await visible("nobody") == [])
            #expect(try await visible("head") == ["depot", "orphan", "shop"])
            #expect(try await visible("admin") == ["depot", "orphan", "shop"])

            var features = try await admin.get("/api/v1/settings/features").decode([String: Bool].self)
            features["accessGroups"] = false
            _ = try await admin.put("/api/v1/settings/features", features)
            #expect(try await visible("petrov") == ["depot", "orphan", "shop"], "with access groups off nobody is restricted")
        }
    }
}
