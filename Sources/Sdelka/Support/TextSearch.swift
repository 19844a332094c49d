import SQLKit

/// "Contains" over a normalised text column: a LIKE that PostgreSQL serves from a pg_trgm
/// index (M013, M022); SQLite searches partners through the FTS5 document of M014 instead, and
/// comes here only for text shorter than a trigram. `%` and `_` typed by a user are matched
/// literally; an FTS phrase quotes its text.
enum TextSearch {
    /// `SELECT <select> FROM <table> WHERE <column> contains <text>`.
    static func select(_ select: String, from table: String, where column: String, contains text: String,
                       dialect: String) -> SQLQueryString {
        let pattern = Self.pattern(text)
        if dialect == "sqlite" {
            return "SELECT \(ident: select) FROM \(ident: table) WHERE \(ident: column) LIKE \(bind: pattern) ESCAPE '\\'"
        }
        // Backslash is PostgreSQL's default LIKE escape; an explicit ESCAPE would hide the
        // pattern from the trigram index.
        return "SELECT \(ident: select) FROM \(ident: table) WHERE \(ident: column) LIKE \(bind: pattern)"
    }

    static func phrase(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `LIKE` pattern for "contains `text`".
    static func pattern(_ text: String) -> String { "%" + escapeLike(text) + "%" }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
