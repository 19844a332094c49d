import Fluent
import SdelkaCore
import SQLKit

/// `q` on partners: by name, full name or code, or through contact information (phone in any
/// format, e-mail, address), contact persons' names or counterparties' INN. Both databases
/// keep one search document per partner — SQLite an FTS5 trigram index (M014), PostgreSQL a
/// table with a pg_trgm index (M022) — so that a match is one index lookup yielding partners,
/// however many rows it finds. An INN of 10 or 12 digits is also looked up exactly. Text
/// shorter than a trigram is matched with LIKE.
struct PartnerSearch {
    let text: String
    let phone: String?
    let inn: String?
    let dialect: String

    init(_ q: String, dialect: String) {
        self.dialect = dialect
        text = SearchText.normalize(q)
        let phone = Phone.normalize(q)
        self.phone = phone.count >= 5 && phone != text ? phone : nil
        let digits = q.trimmingCharacters(in: .whitespaces)
        inn = (digits.count == 10 || digits.count == 12) && digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? digits : nil
    }

    /// Whether the partner `partners.id` (`partners.rowid` on SQLite) matches. `walkingNameIndex`
    /// keeps the database from driving the query by the matches (`PartnerQueries.page`).
    func predicate(walkingNameIndex: Bool) -> any SQLExpression {
        let id = SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(Partner.schema))
        var branches: [SQLQueryString] = []
        if let inn { branches.append("SELECT partner_id FROM \(ident: Counterparty.schema) WHERE inn = \(bind: inn)") }
        if dialect == "sqlite" && text.count >= 3 {
            // A unary plus keeps SQLite from driving the query by this term.
            var own: SQLQueryString = "\(unsafeRaw: walkingNameIndex ? "+" : "")\(ident: Partner.schema).rowid IN (SELECT rowid FROM partner_search WHERE partner_search MATCH \(bind: TextSearch.phrase(text))"
            if let phone {
                own.appendInterpolation(raw: " UNION ALL SELECT rowid FROM partner_search WHERE partner_search MATCH ")
                own.appendInterpolation(bind: TextSearch.phrase(phone))
            }
            own.appendInterpolation(raw: ")")
            guard !branches.isEmpty else { return own }
            let other = SQLBinaryExpression(id, .in, SQLGroupExpression(SQLList(branches, separator: SQLRaw(" UNION ALL "))))
            return SQLGroupExpression(SQLBinaryExpression(own, .or, other))
        }
        if dialect == "sqlite" {
            branches += [
                TextSearch.select("id", from: Partner.schema, where: "search_text", contains: text),
                TextSearch.select("partner_id", from: ContactDetail.schema, where: "normalized", contains: text),
                TextSearch.select("partner_id", from: ContactPerson.schema, where: "search_text", contains: text),
            ]
            if let phone { branches.append(TextSearch.select("partner_id", from: ContactDetail.schema, where: "normalized", contains: phone)) }
        } else {
            branches.append("SELECT partner_id FROM \(ident: M022CreatePostgresPartnerSearch.table) WHERE \(documentMatches)")
        }
        let union = SQLList(branches, separator: SQLRaw(" UNION "))
        if dialect == "postgresql" && !walkingNameIndex {
            // The matches first, as an array, then their partners by primary key: pg_trgm
            // guesses short patterns at a hundred times their real matches, and PostgreSQL
            // then walked the whole sort index in search of a page that was not there.
            return SQLBinaryExpression(id, .equal, SQLFunction("ANY", args: SQLFunction("ARRAY", args: union)))
        }
        let matches = SQLBinaryExpression(id, .in, SQLGroupExpression(union))
        // PostgreSQL walks the name index and probes each partner's document by its key.
        // On SQLite `IS TRUE` keeps the test from driving the query.
        return walkingNameIndex && dialect == "sqlite" ? SQLBinaryExpression(SQLGroupExpression(matches), .is, SQLLiteral.boolean(true)) : matches
    }

    /// PostgreSQL: `doc` contains the text or the phone's digits. Backslash is PostgreSQL's
    /// default LIKE escape; an explicit ESCAPE would hide the pattern from the trigram index.
    private var documentMatches: SQLQueryString {
        var matches: SQLQueryString = "doc LIKE \(bind: TextSearch.pattern(text))"
        if let phone { matches.appendInterpolation(raw: " OR doc LIKE "); matches.appendInterpolation(bind: TextSearch.pattern(phone)) }
        return matches
    }

    /// PostgreSQL, a search with no filter but the access rule: the count of the matches, from
    /// the documents alone (they carry the deletion mark and the access group). Joining the
    /// matches of a common word to every partner took longer than finding them. nil where the
    /// count must go through partners.
    func documentCount(includeDeleted: Bool, scope: AccessScope, on sql: any SQLDatabase) async throws -> Int? {
        guard dialect == "postgresql", inn == nil else { return nil }
        struct Row: Decodable { var count: Int }
        var query = sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "count")
            .from(M022CreatePostgresPartnerSearch.table)
            .where(SQLGroupExpression(documentMatches))
        if !includeDeleted { query = query.where("deletion_mark", .equal, SQLLiteral.boolean(false)) }
        query = scope.apply(to: query, column: SQLIdentifier("access_group_id"))
        return try await query.first(decoding: Row.self)?.count ?? 0
    }
}
