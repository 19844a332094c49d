import Fluent
import Foundation
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/reports/marketing-events?from=&to=`: marketing-event and channel effectiveness
/// (DOMAIN.md §6), from primary-interest records. A partner belongs to the event and channel
/// of its registration source; a deal to its own source, or its partner's when it has none;
/// revenue is the partner's sales from its registration date on. With a period: partners
/// registered, deals started, sales made and events planned to start in it.
struct MarketingEffectivenessReport: Content {
    struct Line: Content, Equatable {
        var eventId: UUID?
        var channelId: UUID?
        var name: String
        var channel: String?
        var plannedStart: String?
        var newPartners: Int
        var deals: Int
        var wonDeals: Int
        var wonClients: Int
        var revenue: Decimal
        var grossProfit: Decimal
        var cost: Decimal
        var costPerWonClient: Decimal?
        var roi: Decimal?
    }

    struct Filter: Sendable {
        var from: CalendarDate?
        var to: CalendarDate?
    }

    var events: [Line]
    var channels: [Line]

    static func make(_ filter: Filter, scope: AccessScope, on db: any Database) async throws -> MarketingEffectivenessReport {
        let facts = try await CampaignFacts.load(filter, scope: scope, on: db.sql)
        var eventQuery = MarketingEvent.query(on: db).filter(\.$deletionMark == false)
        if let from = filter.from { eventQuery = eventQuery.filter(\.$plannedStart >= from.description) }
        if let to = filter.to { eventQuery = eventQuery.filter(\.$plannedStart <= to.description) }
        let events = try await eventQuery.sort(\.$plannedStart).sort(\.$name).all()
        let channels = try await Channel.query(on: db).filter(\.$deletionMark == false).sort(\.$name).all()
        let channelNames = channels.reduce(into: [UUID: String]()) { $0[$1.id!] = $1.name }
        var channelCost: [UUID?: Int64] = [:]
        for event in events { channelCost[event.channelID, default: 0] +| (event.actualCostCents ?? 0) }

        let eventLines = try events.map { event in
            var figures = facts.byEvent[try event.requireID()] ?? CampaignFigures()
            figures.costCents = event.actualCostCents ?? 0
            return line(figures, event: event.id, channel: event.channelID, name: event.name,
                        channelName: event.channelID.flatMap { channelNames[$0] } ?? "", plannedStart: event.plannedStart)
        }
        var channelLines = try channels.map { channel in
            var figures = facts.byChannel[try channel.requireID()] ?? CampaignFigures()
            figures.costCents = channelCost[channel.id] ?? 0
            return line(figures, event: nil, channel: channel.id, name: channel.name, channelName: nil, plannedStart: nil)
        }
        // Deals with no source at all (neither their own nor their partner's), in a line of their own.
        if let unattributed = facts.byChannel[nil], unattributed != CampaignFigures() {
            channelLines.append(line(unattributed, event: nil, channel: nil, name: "", channelName: nil, plannedStart: nil))
        }
        return MarketingEffectivenessReport(events: eventLines, channels: channelLines)
    }

    static func line(_ f: CampaignFigures, event: UUID?, channel: UUID?, name: String, channelName: String?, plannedStart: String?) -> Line {
        Line(eventId: event, channelId: channel, name: name, channel: channelName, plannedStart: plannedStart,
             newPartners: f.newPartners, deals: f.deals, wonDeals: f.wonDeals, wonClients: f.wonClients,
             revenue: Money.decimal(cents: f.revenueCents), grossProfit: Money.decimal(cents: f.grossProfitCents),
             cost: Money.decimal(cents: f.costCents), costPerWonClient: f.costPerWonClientCents.map(Money.decimal(cents:)), roi: f.roi)
    }

    static func table(_ report: MarketingEffectivenessReport) -> ReportFormat.Table {
        let parts: [(String, [Line])] = [("event", report.events), ("channel", report.channels)]
        let rows = parts.flatMap { group, lines -> [[String?]] in
            lines.map { l -> [String?] in
                [group, l.name, l.channel, l.plannedStart, String(l.newPartners), String(l.deals), String(l.wonDeals), String(l.wonClients),
                 l.revenue.description, l.grossProfit.description, l.cost.description, l.costPerWonClient?.description, l.roi?.description]
            }
        }
        return ReportFormat.Table(
            filename: "marketing-events.csv",
            header: ["group", "name", "channel", "planned_start", "new_partners", "deals", "won_deals", "won_clients",
                     "revenue", "gross_profit", "cost", "cost_per_won_client", "roi"],
            rows: rows)
    }
}
