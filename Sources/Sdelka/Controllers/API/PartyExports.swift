import Fluent
import SdelkaCore
import Vapor

/// The CSV exports of partners, counterparties and contact persons.
enum PartyExports {
    static func register(on routes: any RoutesBuilder) {
        routes.get("partners.csv", use: partners)
        routes.get("counterparties.csv", use: counterparties)
        routes.get("contact-persons.csv", use: contactPersons)
    }

    @Sendable static func partners(req: Request) async throws -> Response {
        let scope = try await req.accessScope()
        let filter = try await PartnerQueries.filter(from: req)
        let names = try await ReferenceNames.load(req)
        let logins = Dictionary(uniqueKeysWithValues: try await User.query(on: req.db).all().map { (try $0.requireID(), $0.login) })
        let allGroups = try await AccessGroup.query(on: req.db).all().map { (try $0.requireID(), $0.name) }
        let db = req.db
        return CSVExport.response(filename: "partners.csv", header: PartnerImport.columns) { after in
            let partners = try await CSVExport.page(PartnerQueries.query(on: db, scope: scope, filter), after: after)
            let ids = try partners.map { try $0.requireID() }
            let sources = try await InterestSources.registration(of: ids, on: db)
            let parentIDs = Array(Set(partners.compactMap(\.parentID)))
            let parents = parentIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Partner.query(on: db)
                .filter(\.$id ~~ parentIDs).all().map { (try $0.requireID(), $0.code ?? "") })
            let rows: [[String?]] = try partners.map { p in
                [p.code, p.name, p.fullName, p.kind.rawValue, CSVExport.flag(p.isClient), CSVExport.flag(p.isSupplier),
                 CSVExport.flag(p.isCompetitor), p.parentID.flatMap { parents[$0] }, p.mainManagerID.flatMap { logins[$0] },
                 p.businessRegionID.map { ReferenceNames.name($0, in: names.regions) },
                 p.accessGroupID.map { ReferenceNames.name($0, in: allGroups) },
                 try sources[p.requireID()].map { ReferenceNames.name($0.channelId, in: names.channels) }]
            }
            return (rows, partners.count == CSVExport.pageSize ? ids.last : nil)
        }
    }

    @Sendable static func counterparties(req: Request) async throws -> Response {
        var params = QueryParameters(req)
        let partnerID = params.uuid("partnerId")
        try params.check()
        let scope = try await req.accessScope(), includeDeleted = req.flag("includeDeleted"), db = req.db
        let query = { @Sendable in
            let query = CounterpartyQueries.scoped(scope, on: db)
            if !includeDeleted { query.filter(\.$deletionMark == false) }
            if let partnerID { query.filter(\.$partnerID == partnerID) }
            return query
        }
        return CSVExport.response(filename: "counterparties.csv", header: CounterpartyImport.columns) { after in
            let rows = try await CSVExport.page(query(), after: after)
            let codes = try await partnerCodes(rows.map(\.partnerID), on: db)
            return (rows.map { c in [c.code, codes[c.partnerID], c.name, c.legalForm.rawValue, c.inn, c.kpp, c.ogrn] },
                    rows.count == CSVExport.pageSize ? rows.last?.id : nil)
        }
    }

    @Sendable static func contactPersons(req: Request) async throws -> Response {
        var params = QueryParameters(req)
        let partnerID = params.uuid("partnerId")
        try params.check()
        let scope = try await req.accessScope(), includeDeleted = req.flag("includeDeleted"), db = req.db
        let query = { @Sendable in
            let query = ContactPersonQueries.scoped(scope, on: db)
            if !includeDeleted { query.filter(\.$deletionMark == false) }
            if let partnerID { query.filter(\.$partnerID == partnerID) }
            return query
        }
        return CSVExport.response(filename: "contact-persons.csv", header: ContactPersonImport.columns) { after in
            let people = try await CSVExport.page(query(), after: after)
            let ids = try people.map { try $0.requireID() }
            let codes = try await partnerCodes(people.map(\.partnerID), on: db)
            let contacts = try await ContactStore.lists(.contactPerson, ownerIDs: ids, on: db)
            let rows: [[String?]] = try people.map { p in
                let lines = ContactDTO.list(contacts[try p.requireID()] ?? [])
                return [codes[p.partnerID], p.name, p.position, lines.first { $0.type == "phone" }?.value, lines.first { $0.type == "email" }?.value]
            }
            return (rows, people.count == CSVExport.pageSize ? ids.last : nil)
        }
    }

    static func partnerCodes(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await Partner.query(on: db).filter(\.$id ~~ Array(Set(ids))).all()
            .map { (try $0.requireID(), $0.code ?? "") })
    }
}
