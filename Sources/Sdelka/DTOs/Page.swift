import Fluent
import SQLKit
import Vapor

/// A page of a collection: `{"items","total","page","per"}`.
struct PageDTO<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var page: Int
    var per: Int
}

/// `?page=&per=` with sane bounds: `per` is capped so that one request cannot ask for the world,
/// and `page` so that the offset `(page − 1) · per` is always a number (a page past the last
/// row is simply empty).
struct PageRequest: Sendable {
    static let maxPer = 500
    static let maxPage = 1_000_000
    var page: Int
    var per: Int

    init(page: Int, per: Int) {
        self.page = page
        self.per = per
    }

    init(_ req: Request) throws {
        let page = try Self.int(req, "page") ?? 1
        let per = try Self.int(req, "per") ?? 50
        guard (1...Self.maxPage).contains(page) else {
            throw APIError.validation("page", "must be between 1 and \(Self.maxPage)")
        }
        guard (1...Self.maxPer).contains(per) else {
            throw APIError.validation("per", "must be between 1 and \(Self.maxPer)")
        }
        self.page = page
        self.per = per
    }

    /// The rows before this page.
    var offset: Int { (page - 1) * per }

    private static func int(_ req: Request, _ name: String) throws -> Int? {
        guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
        guard let value = Int(raw) else { throw APIError.validation(name, "must be a whole number") }
        return value
    }

    /// The total count and this page's rows of a query.
    func rows<M: Model>(_ query: QueryBuilder<M>) async throws -> (total: Int, rows: [M]) {
        let total = try await Self.count(query)
        let rows = try await query.copy().range(offset ..< offset + per).all()
        return (total, rows)
    }

    /// `COUNT(*)`, which an index that covers the filters answers alone; Fluent's `count()`
    /// counts the id column and so reads every matching row of the table.
    static func count<M: Model>(_ query: QueryBuilder<M>) async throws -> Int {
        if query.query.isUnique { return try await query.count() }
        let all = SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier(FieldKey.aggregate.description))
        return try await query.aggregate(.custom(all), as: Int.self).get()
    }

    func fetch<M: Model, Item: Content>(_ query: QueryBuilder<M>, map: (M) throws -> Item) async throws -> PageDTO<Item> {
        let (total, rows) = try await rows(query)
        return PageDTO(items: try rows.map(map), total: total, page: page, per: per)
    }
}

extension Request {
    /// A query flag such as `?includeDeleted=true`.
    func flag(_ name: String) -> Bool {
        guard let raw = query[String.self, at: name] else { return false }
        return ["true", "1", "yes"].contains(raw.lowercased())
    }

    /// A trimmed, non-empty `?q=` (or other text) parameter, without control characters (which
    /// no search or name holds, and which a database may refuse).
    func text(_ name: String) -> String? {
        guard let given = query[String.self, at: name] else { return nil }
        let raw = String(String.UnicodeScalarView(given.unicodeScalars.filter { $0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) }))
            .trimmingCharacters(in: .whitespaces)
        return raw.isEmpty ? nil : raw
    }
}
