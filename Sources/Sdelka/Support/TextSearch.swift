import SQLKit

/// "Contains" over a normalised text column through the index M013 built for it: an FTS5
/// trigram MATCH on SQLite (three characters or more; shorter text falls back to LIKE), a
/// pg_trgm-served LIKE on PostgreSQL. `%` and `_` typed by a user are matched literally.
enum TextSearch {
    /// `SELECT <select> FROM <table> WHERE <column> contains <text>`.
    static func select(_ select: String, from table: String, where column: String, contains text: String,
                       dialect: String) -> SQLQueryString {
        if dialect == "sqlite" && text.count >= 3 {
            let fts = M013CreateSearchIndexes.ftsTable(table)
            return "SELECT \(ident: select) FROM \(ident: table) WHERE rowid IN (SELECT rowid FROM \(ident: fts) WHERE \(ident: fts) MATCH \(bind: phrase(text)))"
        }
        let pattern = "%" + escapeLike(text) + "%"
        if dialect == "sqlite" {
            return "SELECT \(ident: select) FROM \(ident: table) WHERE \(ident: column) LIKE \(bind: pattern) ESCAPE '\\'"
        }
        // Backslash is PostgreSQL's default LIKE escape; an explicit ESCAPE would hide the
        // pattern from the trigram index.
        return "SELECT \(ident: select) FROM \(ident: table) WHERE \(ident: column) LIKE \(bind: pattern)"
    }

    /// SQLite only: `<table>.rowid IN (FTS match)`, or a LIKE on the column for short text.
    static func rowids(of table: String, where column: String, contains text: String) -> SQLQueryString {
        guard text.count >= 3 else {
            return "\(ident: table).\(ident: column) LIKE \(bind: "%" + escapeLike(text) + "%") ESCAPE '\\'"
        }
        let fts = M013CreateSearchIndexes.ftsTable(table)
        return "\(ident: table).rowid IN (SELECT rowid FROM \(ident: fts) WHERE \(ident: fts) MATCH \(bind: phrase(text)))"
    }

    static func phrase(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
