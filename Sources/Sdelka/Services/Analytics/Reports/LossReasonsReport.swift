import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/loss-reasons?from=&to=&kindId=`: lost deals (DOMAIN.md §6) counted
/// with their potential per reason, per responsible × reason and per client × reason, over
/// the deals lost (closed) in the period, of the partners the user may see.
struct LossReasonsReport: Content {
    struct Line: Content, Equatable {
        var id: UUID?
        var name: String
        var reasonId: UUID?
        var reason: String
        var count: Int
        var potential: Decimal
    }

    struct Filter: Sendable {
        var from: CalendarDate?
        var to: CalendarDate?
        var kindID: UUID?
    }

    var reasons: [Line]
    var byResponsible: [Line]
    var byPartner: [Line]

    private struct Row: Decodable {
        var subject: UUID?
        var reason: UUID?
        var n: Int
        var cents: Int64?
    }

    /// The clients with the most lost deals, at most this many.
    static let partners = 200

    static func make(_ filter: Filter, scope: AccessScope, on db: any Database) async throws -> LossReasonsReport {
        let sql = db.sql
        let reasonNames = try await LossReason.query(on: db).all().reduce(into: [UUID: String]()) { $0[$1.id!] = $1.name }
        let userNames = try await User.query(on: db).all().reduce(into: [UUID: String]()) { $0[$1.id!] = $1.name }
        let byResponsible = try await rows("responsible_id", filter, scope: scope, on: sql)
        // Every lost deal has one responsible (or none): the reasons' totals are the sums of those rows.
        let byReason = Dictionary(grouping: byResponsible, by: \.reason).map { reason, rows in
            Row(subject: nil, reason: reason, n: rows.reduce(0) { $0 + $1.n }, cents: rows.map { $0.cents ?? 0 }.saturatedSum)
        }
        // The clients with the most lost deals are chosen in SQL; only their groups are read.
        let top = try await topPartners(filter, scope: scope, on: sql)
        let byPartner = top.isEmpty ? [] : try await rows("partner_id", filter, scope: scope, only: top, on: sql)
        let partnerNames = try await Partner.names(of: top, scope: scope, on: db)
        func line(_ row: Row, name: String) -> Line {
            Line(id: row.subject, name: name, reasonId: row.reason, reason: row.reason.flatMap { reasonNames[$0] } ?? "",
                 count: row.n, potential: Money.decimal(cents: row.cents ?? 0))
        }
        let order: (Line, Line) -> Bool = { ($1.count, $0.name, $0.reason) < ($0.count, $1.name, $1.reason) }
        return LossReasonsReport(
            reasons: byReason.map { line($0, name: "") }.sorted(by: order),
            byResponsible: byResponsible.map { line($0, name: $0.subject.flatMap { userNames[$0] } ?? "") }.sorted(by: order),
            byPartner: byPartner.map { line($0, name: $0.subject.flatMap { partnerNames[$0] } ?? "") }.sorted(by: order))
    }

    /// The `partners` clients with the most lost deals (ties by id), of those the user may see.
    private static func topPartners(_ filter: Filter, scope: AccessScope, on sql: any SQLDatabase) async throws -> [UUID] {
        var query = SQLQueryString("SELECT d.partner_id AS subject, COUNT(*) AS n FROM deals d WHERE d.status = 'lost' AND d.deletion_mark = \(SQLLiteral.boolean(false))")
        restrict(&query, filter, scope: scope)
        query.appendInterpolation(raw: " GROUP BY d.partner_id ORDER BY n DESC, d.partner_id LIMIT \(partners)")
        struct Top: Decodable { var subject: UUID }
        return try await sql.raw(query).all(decoding: Top.self).map(\.subject)
    }

    /// Lost deals grouped by reason and by the deal's `column` (responsible or partner), for
    /// `only` those subjects when given.
    private static func rows(_ column: String, _ filter: Filter, scope: AccessScope, only: [UUID]? = nil, on sql: any SQLDatabase) async throws -> [Row] {
        let subject = "d.\(column)"
        var query = SQLQueryString("""
            SELECT \(unsafeRaw: subject) AS subject, d.loss_reason_id AS reason, COUNT(*) AS n, CAST(SUM(d.potential_cents) AS BIGINT) AS cents
            FROM deals d WHERE d.status = 'lost' AND d.deletion_mark = \(SQLLiteral.boolean(false))
            """)
        if let only {
            query.appendInterpolation(raw: " AND \(subject) IN ")
            query.appendInterpolation(SQLBind.group(only))
        }
        restrict(&query, filter, scope: scope)
        query.appendInterpolation(raw: " GROUP BY \(subject), d.loss_reason_id")
        return try await sql.raw(query).all(decoding: Row.self)
    }

    private static func restrict(_ query: inout SQLQueryString, _ filter: Filter, scope: AccessScope) {
        query.and("d.end_date", ">=", filter.from?.description)
        query.and("d.end_date", "<=", filter.to?.description)
        query.and("d.kind_id", "=", filter.kindID)
        query.andVisible(scope, partner: SQLColumn("partner_id", table: "d"))
    }

    static func table(_ report: LossReasonsReport) -> ReportFormat.Table {
        let parts = [("reason", report.reasons), ("responsible", report.byResponsible), ("partner", report.byPartner)]
        return ReportFormat.Table(
            filename: "loss-reasons.csv", header: ["group", "name", "reason", "count", "potential"],
            rows: parts.flatMap { group, lines in lines.map { [group, $0.name, $0.reason, String($0.count), $0.potential.description] } })
    }
}
