import Foundation
import Testing
import Vapor
@testable import Sdelka

/// Products and sales documents made through the API, as a client would.
extension API {
    func product(_ sku: String, _ name: String, price: Decimal? = nil) async throws -> UUID {
        var body: [String: any Encodable & Sendable] = ["sku": sku, "name": name]
        if let price { body["price"] = price }
        let reply = try await post("/api/v1/products", body)
        #expect(reply.status == .created, "product \(sku): \(reply.text)")
        return try reply.decode(ProductDTO.self).id
    }

    /// Lines as (product, quantity, price, amount, cost); nil leaves a value out.
    func sale(_ number: String?, date: String, partner: UUID, lines: [(UUID, Decimal, Decimal?, Decimal?, Decimal?)],
              _ extra: [String: any Encodable & Sendable] = [:]) async throws -> Reply {
        var body: [String: any Encodable & Sendable] = ["date": date, "partnerId": partner.uuidString]
        if let number { body["number"] = number }
        body["lines"] = lines.map { product, quantity, price, amount, cost in
            var line: [String: any Encodable & Sendable] = ["productId": product.uuidString, "quantity": quantity]
            if let price { line["price"] = price }
            if let amount { line["amount"] = amount }
            if let cost { line["cost"] = cost }
            return JSONObject(line)
        }
        body.merge(extra) { $1 }
        return try await send(.POST, "/api/v1/sales", json: JSONObject(body))
    }

    func monthly(_ partner: UUID) async throws -> [SalesMonthDTO] {
        let reply = try await get("/api/v1/sales/monthly?partnerId=\(partner)&months=120")
        #expect(reply.status == .ok, "\(reply.text)")
        return try reply.decode([SalesMonthDTO].self)
    }
}

func dec(_ text: String) -> Decimal { Decimal(string: text)! }
