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
