import Fluent
import SdelkaCore
import Vapor

/// The rules of writing partners, shared by the API, the web UI and imports.
struct PartnerService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    var today = CalendarDate(Date(), in: .current)

    func on(_ tx: any Database) -> PartnerService {
        PartnerService(db: tx, author: author, scope: scope, today: today)
    }

    func counterparties(on tx: any Database) -> CounterpartyService {
        CounterpartyService(db: tx, author: author, scope: scope, today: today)
    }

    /// The partner's counterparties when it is edited in one form with them (the one-counterparty mode).
    func liveCounterparties(of partnerID: UUID) async throws -> [Counterparty] {
        try await Counterparty.query(on: db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false)
            .sort(\.$createdAt).sort(\.$id).all()
    }

    func contacts(of partner: Partner) async throws -> [ContactDetail] {
        try await ContactStore.lists(.partner, ownerIDs: [partner.requireID()], on: db)[partner.requireID()] ?? []
    }

    func dto(_ partner: Partner) async throws -> PartnerDTO {
        let id = try partner.requireID()
        let source = try await InterestSources.registration(of: [id], on: db)
        let segments = try await SegmentService.storedSegments(of: [id], on: db)
        return try PartnerDTO(partner, contacts: try await contacts(of: partner), source: source[id], segmentIds: segments[id, default: []])
    }

    /// A partner, and its counterparty when `input.counterparty` is given, in one transaction:
    /// a counterparty that fails its checks leaves no partner behind.
    func create(_ input: PartnerInput) async throws -> Partner {
        guard let given = input.counterparty else { return try await createPartner(input) }
        return try await db.writeTransaction { tx in
            let partner = try await on(tx).createPartner(input)
            var inline = given
            inline.partnerId = try partner.requireID()
            if inline.name.cleaned == nil { inline.name = partner.fullName }
            try await Self.prefixingErrors { _ = try await counterparties(on: tx).create(inline) }
            return partner
        }
    }

    /// Updates the partner and, with `input.counterparty`, its only counterparty (created if it has none).
    /// `clearing` names the optional references to empty (`parentId`, `mainManagerId`,
    /// `businessRegionId`, `accessGroupId`): fields sent as null.
    func update(_ partner: Partner, with input: PartnerInput, clearing: Set<String> = []) async throws {
        guard let inline = input.counterparty else { return try await updatePartner(partner, with: input, clearing: clearing) }
        let existing = try await liveCounterparties(of: partner.requireID())
        if existing.count > 1 {
            throw FieldErrors(["counterparty": "cannot be edited with the partner: it has several counterparties"])
        }
        try await db.writeTransaction { tx in
            try await on(tx).updatePartner(partner, with: input, clearing: clearing)
            var change = inline
            change.version = nil
            try await Self.prefixingErrors {
                if let counterparty = existing.first {
                    try await counterparties(on: tx).update(counterparty, with: change)
                } else {
                    change.partnerId = try partner.requireID()
                    if change.name.cleaned == nil { change.name = partner.fullName }
                    _ = try await counterparties(on: tx).create(change)
                }
            }
        }
    }

    private static func prefixingErrors(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let errors as FieldErrors {
            var prefixed = FieldErrors()
            prefixed.merge(errors, prefix: "counterparty.")
            throw prefixed
        }
    }

    private func createPartner(_ input: PartnerInput) async throws -> Partner {
        var errors = input.validate(creating: true, currentKind: nil)
        let partner = Partner()
        partner.kind = .company
        partner.isClient = true
        partner.isSupplier = false
        partner.isCompetitor = false
        partner.isOther = false
        var input = input
        if input.accessGroupId == nil, case .groups(let ids) = scope, ids.count == 1 { input.accessGroupId = ids.first }
        try await checkReferences(input, partnerID: nil, into: &errors)
        if let source = input.source { try await InterestSources.check(source, scope: scope, on: db, into: &errors) }
        if case .groups = scope, input.accessGroupId == nil {
            errors.add("accessGroupId", "is required: choose one of your access groups")
        }
        try errors.check()
        apply(input, to: partner)
        let contacts = input.contacts ?? []
        let source = input.source
        try await writer(contacts: contacts, source: source).create(partner) { tx in
            try await Self.replaceContacts(of: partner, with: contacts, on: tx)
            if let source { try await InterestSources.setRegistration(source, of: partner.requireID(), on: tx) }
        }
        return partner
    }

    private func updatePartner(_ partner: Partner, with input: PartnerInput, clearing: Set<String>) async throws {
        var errors = input.validate(creating: false, currentKind: partner.kind)
        if clearing.contains("accessGroupId"), case .groups = scope {
            errors.add("accessGroupId", "is required: choose one of your access groups")
        }
        if clearing.contains("name") { errors.add("name", "must not be empty") }
        try await checkReferences(input, partnerID: partner.id, into: &errors)
        if let source = input.source { try await InterestSources.check(source, scope: scope, on: db, into: &errors) }
        try errors.check()
        let before = try await dto(partner)
        apply(input, to: partner)
        if clearing.contains("parentId") { partner.parentID = nil }
        if clearing.contains("mainManagerId") { partner.mainManagerID = nil }
        if clearing.contains("businessRegionId") { partner.businessRegionID = nil }
        if clearing.contains("accessGroupId") { partner.accessGroupID = nil }
        let contacts = input.contacts ?? before.contacts
        try await writer(contacts: contacts, source: input.source ?? before.source)
            .update(partner, before: before, expectedVersion: input.version) { tx in
                if input.contacts != nil { try await Self.replaceContacts(of: partner, with: contacts, on: tx) }
                if let source = input.source { try await InterestSources.setRegistration(source, of: partner.requireID(), on: tx) }
            }
    }

    func writer(contacts: [ContactDTO], source: SourceDTO?) -> RecordWriter<Partner> {
        RecordWriter(db: db, author: author) { partner in
            var dto = try PartnerDTO(partner, contacts: [], source: source)
            dto.contacts = contacts
            return dto
        }
    }

    private func apply(_ input: PartnerInput, to partner: Partner) {
        if let code = input.code { partner.code = code.cleaned }
        if let name = input.name { partner.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let fullName = input.fullName { partner.fullName = fullName.cleaned ?? partner.name }
        if partner.$fullName.value == nil || partner.fullName.isEmpty { partner.fullName = partner.name }
        if let parent = input.parentId { partner.parentID = parent }
        if let kind = input.kind.flatMap(Partner.Kind.init(rawValue:)) { partner.kind = kind }
        if let flag = input.isClient { partner.isClient = flag }
        if let flag = input.isSupplier { partner.isSupplier = flag }
        if let flag = input.isCompetitor { partner.isCompetitor = flag }
        if let flag = input.isOther { partner.isOther = flag }
        if let manager = input.mainManagerId { partner.mainManagerID = manager }
        if let region = input.businessRegionId { partner.businessRegionID = region }
        if let group = input.accessGroupId { partner.accessGroupID = group }
        if let date = input.registeredOn { partner.registeredOn = date.cleaned }
        if let gender = input.gender { partner.gender = gender.cleaned.flatMap(Partner.Gender.init(rawValue:)) }
        if let date = input.birthDate { partner.birthDate = date.cleaned }
        if let comment = input.comment { partner.comment = comment.cleaned }
        partner.refreshKeys()
    }

    /// References must point at live objects the user may use.
    private func checkReferences(_ input: PartnerInput, partnerID: UUID?, into errors: inout FieldErrors) async throws {
        if let group = input.accessGroupId {
            if try await AccessGroup.query(on: db).filter(\.$id == group).filter(\.$deletionMark == false).count() == 0 {
                errors.add("accessGroupId", "names an access group that does not exist")
            } else if !scope.allows(group) {
                errors.add("accessGroupId", "is not one of your access groups")
            }
        }
        if let region = input.businessRegionId,
           try await BusinessRegion.query(on: db).filter(\.$id == region).filter(\.$deletionMark == false).count() == 0 {
            errors.add("businessRegionId", "names a business region that does not exist")
        }
        if let manager = input.mainManagerId, try await !UserReads.isActive(manager, on: db) {
            errors.add("mainManagerId", "names a user that does not exist or is not active")
        }
        if let parent = input.parentId {
            if parent == partnerID { errors.add("parentId", "cannot be the partner itself") }
            else if try await PartnerQueries.scoped(scope, on: db).filter(\.$id == parent).count() == 0 {
                errors.add("parentId", "names a partner that does not exist")
            } else if let partnerID, try await ancestors(of: parent).contains(partnerID) {
                errors.add("parentId", "would make the holding tree a loop")
            }
        }
        if let code = input.code?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            let query = Partner.query(on: db).filter(\.$code == code)
            if let partnerID { query.filter(\.$id != partnerID) }
            if try await query.count() > 0 { errors.add("code", "is already used by another partner") }
        }
    }

    private func ancestors(of id: UUID) async throws -> Set<UUID> {
        var seen: Set<UUID> = [id]
        var current: UUID? = id
        while let next = current, let parent = try await Partner.find(next, on: db)?.parentID, !seen.contains(parent) {
            seen.insert(parent)
            current = parent
        }
        return seen
    }

    static func replaceContacts(of partner: Partner, with contacts: [ContactDTO], on db: any Database) async throws {
        let id = try partner.requireID()
        try await ContactStore.replace(.partner, ownerID: id, partnerID: id, with: contacts, on: db)
    }
}

extension PartnerService: RecordService {
    static let noun = "partner"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope, today: context.today)
    }

    func visible(_ id: UUID) async throws -> Partner? {
        try await PartnerQueries.scoped(scope, on: db).filter(\.$id == id).first()
    }

    func setDeletionMark(_ partner: Partner, to mark: Bool, expectedVersion: Int?) async throws {
        let stored = try await dto(partner)
        let writer = writer(contacts: stored.contacts, source: stored.source)
        try await writer.setDeletionMark(partner, to: mark, expectedVersion: expectedVersion)
    }
}
