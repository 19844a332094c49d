import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Deal kinds, partners and deals made through the API, as a client would.
extension API {
    func dealKind(_ name: String, type: String, stages: [String], checklists: [[JSONObject]] = [], useDemand: Bool = false) async throws -> DealKindDTO {
        let stageObjects = stages.enumerated().map { index, stage in
            JSONObject(["name": stage, "checklist": index < checklists.count ? checklists[index] : []])
        }
        let reply = try await send(.POST, "/api/v1/deal-kinds", json: JSONObject([
            "name": name, "type": type, "useDemand": useDemand, "stages": stageObjects]))
        #expect(reply.status == .created, "deal kind \(name): \(reply.text)")
        return try reply.decode(DealKindDTO.self)
    }

    func partner(_ name: String, group: String? = nil) async throws -> UUID {
        var body: [String: any Encodable & Sendable] = ["name": name]
        if let group { body["accessGroupId"] = group }
        let reply = try await post("/api/v1/partners", body)
        #expect(reply.status == .created, "partner \(name): \(reply.text)")
        return try reply.decode(PartnerDTO.self).id
    }

    func deal(_ name: String, partner: UUID, kind: DealKindDTO, _ extra: [String: any Encodable & Sendable] = [:]) async throws -> DealDTO {
        var body: [String: any Encodable & Sendable] = ["name": name, "partnerId": partner.uuidString, "kindId": kind.id.uuidString]
        body.merge(extra) { $1 }
        let reply = try await send(.POST, "/api/v1/deals", json: JSONObject(body))
        #expect(reply.status == .created, "deal \(name): \(reply.text)")
        return try reply.decode(DealDTO.self)
    }

    func stage(_ deal: DealDTO, _ stage: DealStageDTO, override: Bool? = nil) async throws -> Reply {
        var body: [String: any Encodable & Sendable] = ["stageId": stage.id!.uuidString]
        if let override { body["override"] = override }
        return try await send(.POST, "/api/v1/deals/\(deal.id)/stage", json: JSONObject(body))
    }

    func stageRows(_ deal: DealDTO) async throws -> [StageRowDTO] {
        struct Rows: Decodable { var items: [StageRowDTO] }
        return try await get("/api/v1/deals/\(deal.id)/stages").decode(Rows.self).items
    }

    func lossReason(_ name: String) async throws -> String {
        try await post("/api/v1/loss-reasons", ["name": name]).json()["id"] as! String
    }
}
