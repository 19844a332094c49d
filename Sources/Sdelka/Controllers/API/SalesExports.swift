import Fluent
import SdelkaCore
import SQLKit
import Vapor

/// `GET /api/v1/products.csv` and `/api/v1/sales.csv`: the import's columns, streamed.
/// A sales document is one row per line; a return's quantities and amounts are negative.
enum SalesExports {
    static func register(on routes: any RoutesBuilder) {
        routes.get("products.csv", use: products)
        routes.get("sales.csv", use: sales)
    }

    @Sendable static func products(req: Request) async throws -> Response {
        let filter = try ProductQueries.filter(from: req), db = req.db
        let groups = Dictionary(uniqueKeysWithValues: try await ProductGroup.query(on: db).all().map { (try $0.requireID(), $0.name) })
        return CSVExport.response(filename: "products.csv", header: ProductImport.columns) { after in
            let rows = try await CSVExport.page(ProductQueries.query(on: db, filter), after: after)
            return (rows.map { p in [p.sku, p.name, p.groupID.flatMap { groups[$0] }, p.unit, p.priceCents.map { FixedPoint.text($0, scale: 2) }] },
                    rows.count == CSVExport.pageSize ? rows.last?.id : nil)
        }
    }

    @Sendable static func sales(req: Request) async throws -> Response {
        let filter = try SaleQueries.filter(from: req), scope = try await req.accessScope(), db = req.db
        let skus = Dictionary(uniqueKeysWithValues: try await db.sql.select().columns("id", "sku").from(Product.schema).all().map {
            (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "sku", as: String.self))
        })
        return CSVExport.response(filename: "sales.csv", header: SaleImport.columns) { after in
            let documents = try await CSVExport.page(SaleQueries.query(on: db, scope: scope, filter), after: after)
            let ids = try documents.map { try $0.requireID() }
            let lines = try await SaleLines.load(of: documents, on: db)
            let partners = try await PartyExports.partnerCodes(documents.map(\.partnerID), on: db)
            let counterparties = try await counterpartyCodes(documents.compactMap(\.counterpartyID), on: db)
            var rows: [[String?]] = []
            for sale in documents {
                for line in lines[try sale.requireID()] ?? [] {
                    rows.append([sale.number, sale.date, partners[sale.partnerID], sale.counterpartyID.flatMap { counterparties[$0] },
                                 skus[line.productId], "\(line.quantity)", "\(line.price)", "\(line.amount)", "\(line.cost)"])
                }
            }
            return (rows, documents.count == CSVExport.pageSize ? ids.last : nil)
        }
    }

    static func counterpartyCodes(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await Counterparty.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
            .map { (try $0.requireID(), $0.code ?? "") })
    }
}
