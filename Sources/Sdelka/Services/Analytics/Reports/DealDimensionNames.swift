import Foundation
import SdelkaCore
import SQLKit

/// The names behind the keys of deal analysis, read once per referenced table for just the
/// ids that occur, and the order groups are listed in: by name, stages in their order,
/// statuses open → won → lost, months in time, "none" last.
struct DealDimensionNames {
    private var names: [DealDimension: [String: String]] = [:]
    private var stageOrder: [String: Int] = [:]

    static func table(_ dimension: DealDimension) -> String? {
        switch dimension {
        case .responsible: return "users"
        case .kind: return "deal_kinds"
        case .stage: return "deal_stages"
        case .partner, .competitor: return "partners"
        case .channel: return "channels"
        case .event: return "marketing_events"
        case .region: return "business_regions"
        case .lossReason: return "loss_reasons"
        case .status, .month: return nil
        }
    }

    /// Partners (competitors among them) are named only when `scope` lets the user see them;
    /// a group of a hidden one is shown, but as "—".
    static func load(_ dimensions: [DealDimension], values: [[String?]], scope: AccessScope, on sql: any SQLDatabase) async throws -> DealDimensionNames {
        var result = DealDimensionNames()
        for (index, dimension) in dimensions.enumerated() {
            guard let table = table(dimension) else { continue }
            let ids = Array(Set(values.compactMap { $0[index] }.compactMap(UUID.init(uuidString:))))
            var found: [String: String] = [:]
            for chunk in ids.chunks(of: 5_000) {
                var select = sql.select().column("id").column("name").from(table).where("id", .in, SQLBind.group(Array(chunk)))
                if dimension == .stage { select = select.column("position") }
                if table == "partners" { select = scope.apply(to: select, column: SQLIdentifier("access_group_id")) }
                for row in try await select.all() {
                    let id = try row.decode(column: "id", as: UUID.self).uuidString
                    found[id] = try row.decode(column: "name", as: String.self)
                    if dimension == .stage { result.stageOrder[id] = try row.decode(column: "position", as: Int.self) }
                }
            }
            result.names[dimension] = found
        }
        return result
    }

    func key(_ dimension: DealDimension, _ value: String?) -> DealAnalysisReport.Key {
        let hiddenName = Self.table(dimension) == "partners" ? "—" : nil
        let name = value.map { names[dimension]?[$0] ?? hiddenName ?? $0 } ?? ""
        return DealAnalysisReport.Key(dimension: dimension, value: value, name: name)
    }

    /// Sorts "none" after every value.
    func sortKey(_ key: DealAnalysisReport.Key) -> [String] {
        guard let value = key.value else { return ["1"] }
        switch key.dimension {
        case .status: return ["0", String(DealStatus.allCases.firstIndex { $0.rawValue == value } ?? 9)]
        case .month: return ["0", value]
        case .stage: return ["0", String(format: "%06d", stageOrder[value] ?? 0), key.name.lowercased()]
        default: return ["0", key.name.lowercased(), value]
        }
    }
}
