import Foundation
import SdelkaCore
import SQLKit

/// A segment rule as one SQL condition over the partners table (alias `sp`), every value bound:
/// the criteria are ANDed; classes are read from the latest run; sales from the kept daily
/// totals by primary key (one range per partner); open deals through the partner index.
enum SegmentRuleSQL {
    /// Days (`today`, the interaction windows) are the company's, in `timeZone`.
    static func condition(_ rule: SegmentRule, today: CalendarDate, timeZone: TimeZone) -> SQLQueryString {
        var q = SQLQueryString("sp.deletion_mark = ")
        q.appendInterpolation(SQLLiteral.boolean(false))
        func and(_ sql: String) { q.appendInterpolation(raw: " AND " + sql) }
        for (column, value) in [("is_client", rule.isClient), ("is_supplier", rule.isSupplier), ("is_competitor", rule.isCompetitor)] {
            guard let value else { continue }
            and("sp.\(column) = ")
            q.appendInterpolation(SQLLiteral.boolean(value))
        }
        if let kind = rule.kind { and("sp.kind = "); q.appendInterpolation(bind: kind) }
        for (column, ids) in [("main_manager_id", rule.mainManagerIds), ("business_region_id", rule.businessRegionIds),
                              ("access_group_id", rule.accessGroupIds)] {
            guard let ids else { continue }
            guard !ids.isEmpty else { and("1 = 0"); continue }
            and("sp.\(column) IN ")
            q.appendInterpolation(SQLBind.group(ids))
        }
        if let from = rule.registeredFrom { and("sp.registered_on >= "); q.appendInterpolation(bind: from.description) }
        if let to = rule.registeredTo { and("sp.registered_on <= "); q.appendInterpolation(bind: to.description) }
        if let classes = rule.classes {
            let m = classes.measure.column
            and("sp.id IN (SELECT partner_id FROM classification_results WHERE run_id = "
                + "(SELECT id FROM classification_runs ORDER BY date DESC LIMIT 1)")
            if let abc = classes.abc, !abc.isEmpty { q.appendInterpolation(raw: " AND \(m)_abc IN "); q.appendInterpolation(SQLBind.group(abc.map(\.rawValue))) }
            if let xyz = classes.xyz, !xyz.isEmpty { q.appendInterpolation(raw: " AND \(m)_xyz IN "); q.appendInterpolation(SQLBind.group(xyz.map(\.rawValue))) }
            q.appendInterpolation(raw: ")")
        }
        if let sales = rule.sales {
            let window = sales.window(today: today)
            func sum(_ column: String) {
                and("(SELECT COALESCE(SUM(s.\(column)), 0) FROM partner_sales_daily s WHERE s.partner_id = sp.id")
                if let from = window.from { q.appendInterpolation(raw: " AND s.day >= "); q.appendInterpolation(bind: from.description) }
                if let to = window.to { q.appendInterpolation(raw: " AND s.day <= "); q.appendInterpolation(bind: to.description) }
                q.appendInterpolation(raw: ")")
            }
            if let min = sales.minRevenue { sum("revenue_cents"); q.appendInterpolation(raw: " >= "); q.appendInterpolation(bind: Money.cents(min) ?? 0) }
            if let max = sales.maxRevenue { sum("revenue_cents"); q.appendInterpolation(raw: " <= "); q.appendInterpolation(bind: Money.cents(max) ?? 0) }
            if let documents = sales.minDocuments { sum("sales_count"); q.appendInterpolation(raw: " >= "); q.appendInterpolation(bind: documents) }
        }
        if let days = rule.noSalesDays, let since = CalendarDate(dayNumber: today.dayNumber - days + 1) {
            and("NOT EXISTS (SELECT 1 FROM partner_sales_daily s WHERE s.partner_id = sp.id AND s.sales_count > 0 AND s.day >= ")
            q.appendInterpolation(bind: since.description)
            q.appendInterpolation(raw: ")")
        }
        // Interactions carry an instant: their days start at the company's midnight.
        for (days, exists) in [(rule.interactionWithinDays, true), (rule.noInteractionDays, false)] {
            guard let days, let since = CalendarDate(dayNumber: today.dayNumber - days + 1) else { continue }
            and(exists ? "EXISTS" : "NOT EXISTS")
            q.appendInterpolation(raw: " (SELECT 1 FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id"
                                  + " WHERE ip.partner_id = sp.id AND i.deletion_mark = ")
            q.appendInterpolation(SQLLiteral.boolean(false))
            q.appendInterpolation(raw: " AND i.occurred_at >= ")
            q.appendInterpolation(bind: since.start(in: timeZone))
            q.appendInterpolation(raw: ")")
        }
        if let open = rule.hasOpenDeals {
            and(open ? "EXISTS" : "NOT EXISTS")
            q.appendInterpolation(raw: " (SELECT 1 FROM deals d WHERE d.partner_id = sp.id AND d.status = 'open' AND d.deletion_mark = ")
            q.appendInterpolation(SQLLiteral.boolean(false))
            q.appendInterpolation(raw: ")")
        }
        return q
    }
}

/// Who is in a segment, as `column IN (…)`: the stored members of a manual or periodic
/// segment, or the rule of a dynamic one evaluated now.
enum SegmentMembership {
    static func predicate(_ segment: Segment, column: any SQLExpression, today: CalendarDate, timeZone: TimeZone) throws -> any SQLExpression {
        let id = try segment.requireID()
        guard segment.kind == .dynamic else {
            return SQLBinaryExpression(column, .in, SQLGroupExpression(SQLSubquery.select { $0
                .column("partner_id").from("segment_members").where("segment_id", .equal, SQLBind(id))
            }))
        }
        var subquery = SQLQueryString("SELECT sp.id FROM partners sp WHERE ")
        subquery.appendInterpolation(SegmentRuleSQL.condition(segment.rule ?? SegmentRule(), today: today, timeZone: timeZone))
        return SQLBinaryExpression(column, .in, SQLGroupExpression(subquery))
    }
}
