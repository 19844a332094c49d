import SQLKit

enum SQLPredicates {
    /// `<table>.id IN (SELECT <select> FROM <subTable> WHERE <column> <op> <bound value>)`.
    static func idIn(_ table: String, _ subTable: String, select: String, where column: String,
                     _ op: SQLBinaryOperator, _ value: some Encodable & Sendable) -> any SQLExpression {
        SQLBinaryExpression(
            SQLColumn(SQLIdentifier("id"), table: SQLIdentifier(table)), .in,
            SQLGroupExpression(SQLSubquery.select { $0
                .column(SQLIdentifier(select)).from(subTable).where(SQLIdentifier(column), op, SQLBind(value))
            }))
    }
}

extension SQLQueryString {
    /// Appends ` AND <column> <op> <bound value>` when the value is given: the optional filters
    /// of the reports, with the column and operator fixed by the caller, never by input.
    mutating func and(_ column: String, _ op: String, _ value: (any Encodable & Sendable)?) {
        guard let value else { return }
        appendInterpolation(raw: " AND \(column) \(op) ")
        appendInterpolation(bind: value)
    }

    /// Appends ` AND` the user's access rule on a partner column, when it restricts anything.
    mutating func andVisible(_ scope: AccessScope, partner column: SQLColumn) {
        guard let visible = scope.partnerVisible(column) else { return }
        appendInterpolation(raw: " AND ")
        appendInterpolation(visible)
    }
}
