import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/claims?groupBy=&from=&to=`: claims of the period (by their date), of the
/// partners the user may see, grouped by cause, guilty party (the department, else the employee),
/// partner, month or product (every product of the sales document a claim rests on; a claim on
/// a document of three products counts under each), with what was claimed and settled, the
/// satisfied share of those closed, the mean days to close and how many are still open.
struct ClaimsReport: Content {
    enum GroupBy: String, CaseIterable, Sendable { case cause, guilty, partner, month, product }

    struct Filter: Sendable {
        var groupBy: GroupBy = .cause
        var from: CalendarDate?
        var to: CalendarDate?
    }

    struct Group: Content, Equatable {
        var key: String?
        var name: String
        var count: Int
        var amount: Decimal
        var settledAmount: Decimal
        /// Percent of the closed claims that were satisfied, two decimals; null when none closed.
        var satisfiedShare: Decimal?
        var meanDaysToClose: Decimal?
        var open: Int
        var satisfied: Int
        var notSatisfied: Int
    }

    var groupBy: String
    var groups: [Group]
    var total: Group

    private struct Row<Key: Decodable>: Decodable {
        var key: Key?
        var n: Int64
        var open: Int64
        var satisfied: Int64
        var failed: Int64
        var amount: Int64?
        var settled: Int64?
        var days: Int64?

        var figures: ClaimFigures {
            ClaimFigures(count: Int(clamping: n), open: Int(clamping: open), satisfied: Int(clamping: satisfied), notSatisfied: Int(clamping: failed),
                         amountCents: amount ?? 0, settledCents: settled ?? 0, daysToClose: days ?? 0)
        }
    }

    static func make(_ filter: Filter, scope: AccessScope, on db: any Database) async throws -> ClaimsReport {
        let sql = db.sql
        var groups: [(key: String?, figures: ClaimFigures, name: String)]
        switch filter.groupBy {
        case .month:
            groups = try await rows(String.self, key: monthKey, filter, scope: scope, on: sql)
                .map { ($0.key, $0.figures, $0.key ?? "") }
        case .cause, .guilty, .partner, .product:
            let found = try await rows(UUID.self, key: keyColumn(filter.groupBy), filter, scope: scope, on: sql)
            let names = try await self.names(filter.groupBy, of: found.compactMap(\.key), scope: scope, on: db)
            groups = found.map { ($0.key?.uuidString, $0.figures, $0.key.flatMap { names[$0] } ?? "") }
        }
        groups.sort { ($1.figures.count, $0.key ?? "") < ($0.figures.count, $1.key ?? "") }
        if filter.groupBy == .month { groups.sort { ($0.key ?? "") < ($1.key ?? "") } }
        var total = ClaimFigures()
        // Products count a claim once per product; the total counts each claim once.
        if filter.groupBy == .product {
            total = try await rows(Int.self, key: "NULL", filter, scope: scope, on: sql).first?.figures ?? ClaimFigures()
        } else {
            for group in groups { total.add(group.figures) }
        }
        return ClaimsReport(groupBy: filter.groupBy.rawValue,
                            groups: groups.map { group($0.key, $0.name, $0.figures) },
                            total: group(nil, "", total))
    }

    private static func group(_ key: String?, _ name: String, _ f: ClaimFigures) -> Group {
        Group(key: key, name: name, count: f.count, amount: Money.decimal(cents: f.amountCents), settledAmount: Money.decimal(cents: f.settledCents),
              satisfiedShare: f.satisfiedShare, meanDaysToClose: f.meanDaysToClose, open: f.open,
              satisfied: f.satisfied, notSatisfied: f.notSatisfied)
    }

    /// A claim's month, `YYYY-MM`, the same in SQLite and PostgreSQL.
    private static let monthKey = "substr(c.date, 1, 7)"

    private static func keyColumn(_ groupBy: GroupBy) -> String {
        switch groupBy {
        case .cause: return "c.cause_id"
        case .guilty: return "CASE WHEN c.department_id IS NOT NULL THEN c.department_id ELSE c.guilty_user_id END"
        case .partner: return "c.partner_id"
        case .product: return "l.product_id"
        case .month: return monthKey
        }
    }

    /// One row per group, summed in SQL. For products, each claim appears once per distinct
    /// product of its basis document (a claim without one under no product).
    private static func rows<Key: Decodable>(_ type: Key.Type, key: String, _ filter: Filter, scope: AccessScope,
                                             on sql: any SQLDatabase) async throws -> [Row<Key>] {
        let open = ClaimStatus.allCases.filter { !$0.isClosed }.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        // Only a product's rows repeat a claim (one per line of its document): only they need DISTINCT.
        let byProduct = key == keyColumn(.product)
        var query = SQLQueryString("""
            SELECT \(unsafeRaw: key == "NULL" ? "NULL" : "x.k") AS key, COUNT(*) AS n,
              CAST(SUM(CASE WHEN x.status IN (\(unsafeRaw: open)) THEN 1 ELSE 0 END) AS BIGINT) AS open,
              CAST(SUM(CASE WHEN x.status = 'satisfied' THEN 1 ELSE 0 END) AS BIGINT) AS satisfied,
              CAST(SUM(CASE WHEN x.status = 'notSatisfied' THEN 1 ELSE 0 END) AS BIGINT) AS failed,
              CAST(SUM(x.amount_cents) AS BIGINT) AS amount, CAST(SUM(x.settled_cents) AS BIGINT) AS settled,
              CAST(SUM(x.days_to_close) AS BIGINT) AS days
            FROM (SELECT \(unsafeRaw: byProduct ? "DISTINCT c.id, " : "")\(unsafeRaw: key) AS k, c.status, c.amount_cents, c.settled_cents, c.days_to_close
                  FROM claims c
            """)
        if byProduct {
            query.appendInterpolation(raw: """
                 LEFT JOIN sales s ON s.id = c.basis_id AND c.basis_type = 'sale'
                 LEFT JOIN sale_lines l ON l.sale_key = s.line_key
                """)
        }
        query.appendInterpolation(raw: " WHERE c.deletion_mark = ")
        query.appendInterpolation(SQLLiteral.boolean(false))
        query.and("c.date", ">=", filter.from?.description)
        query.and("c.date", "<=", filter.to?.description)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "c"))
        query.appendInterpolation(raw: ") x")
        if key != "NULL" { query.appendInterpolation(raw: " GROUP BY x.k") }
        return try await sql.raw(query).all(decoding: Row<Key>.self)
    }

    private static func names(_ groupBy: GroupBy, of ids: [UUID], scope: AccessScope, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        switch groupBy {
        case .cause:
            return try await ClaimCause.query(on: db).filter(\.$id ~~ ids).all().reduce(into: [:]) { $0[try $1.requireID()] = $1.name }
        case .guilty:
            var names = try await User.query(on: db).filter(\.$id ~~ ids).all().reduce(into: [UUID: String]()) { $0[try $1.requireID()] = $1.name }
            for department in try await ClaimDepartment.query(on: db).filter(\.$id ~~ ids).all() { names[try department.requireID()] = department.name }
            return names
        case .partner: return try await Partner.names(of: ids, scope: scope, on: db)
        case .product:
            return try await Product.query(on: db).filter(\.$id ~~ ids).all().reduce(into: [:]) { $0[try $1.requireID()] = "\($1.sku) — \($1.name)" }
        case .month: return [:]
        }
    }

    static func table(_ report: ClaimsReport) -> ReportFormat.Table {
        ReportFormat.Table(
            filename: "claims-by-\(report.groupBy).csv",
            header: [report.groupBy, "name", "count", "amount", "settledAmount", "satisfiedShare", "meanDaysToClose", "open"],
            rows: (report.groups + [report.total]).map {
                [$0.key ?? "", $0.name, String($0.count), $0.amount.description, $0.settledAmount.description,
                 $0.satisfiedShare?.description, $0.meanDaysToClose?.description, String($0.open)]
            })
    }
}
