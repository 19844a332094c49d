import SQLKit

/// "Contains" over normalised text: a LIKE pattern (PostgreSQL serves it from a pg_trgm index,
/// M022), or on SQLite, for text shorter than a trigram, a LIKE over the searched columns
/// (longer text goes to the FTS5 document of M014). `%` and `_` typed by a user are matched
/// literally; an FTS phrase quotes its text.
enum TextSearch {
    /// SQLite: `SELECT <select> FROM <table> WHERE <column> contains <text>`.
    static func select(_ select: String, from table: String, where column: String, contains text: String) -> SQLQueryString {
        "SELECT \(ident: select) FROM \(ident: table) WHERE \(ident: column) LIKE \(bind: pattern(text)) ESCAPE '\\'"
    }

    static func phrase(_ text: String) -> String {
        // A NUL would end the phrase early for SQLite's parser ("unterminated string").
        "\"" + text.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `LIKE` pattern for "contains `text`".
    static func pattern(_ text: String) -> String { "%" + escapeLike(text) + "%" }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
