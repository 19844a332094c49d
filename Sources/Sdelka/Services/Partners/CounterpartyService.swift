import Fluent
import SdelkaCore
import Vapor

/// The rules of writing counterparties (DOMAIN.md §1): registration numbers, INN+KPP
/// duplicates, name and KPP history, and one counterparty per partner when independent
/// counterparties are switched off.
struct CounterpartyService: Sendable {
    let db: any Database
    let author: ChangeAuthor
    let scope: AccessScope
    let today: CalendarDate

    func dto(_ counterparty: Counterparty) async throws -> CounterpartyDTO {
        let id = try counterparty.requireID()
        return try CounterpartyDTO(counterparty, contacts: try await ContactStore.lists(.counterparty, ownerIDs: [id], on: db)[id] ?? [])
    }

    func create(_ input: CounterpartyInput) async throws -> Counterparty {
        var errors = input.validate(creating: true, current: nil)
        if let partnerID = input.partnerId {
            if !(try await PartnerQueries.isLive(partnerID, scope: scope, on: db)) {
                errors.add("partnerId", "names a partner that does not exist")
            } else if !(try await SettingsStore.features(on: db).isEnabled(.independentCounterparties)),
                      try await Counterparty.query(on: db).filter(\.$partnerID == partnerID).filter(\.$deletionMark == false).count() > 0 {
                errors.add("partnerId", "already has a counterparty; several per partner are switched off in settings")
            }
        }
        let counterparty = Counterparty()
        counterparty.name = ""  // a body without a name is reported below, not read unset
        counterparty.legalForm = .legalEntity
        counterparty.nameHistory = "[]"
        counterparty.kppHistory = "[]"
        apply(input, to: counterparty, keepHistory: false)
        try await checkReferences(counterparty, input: input, into: &errors)
        try errors.check()
        let contacts = input.contacts ?? []
        try await writer(contacts: contacts).create(counterparty) { tx in
            try await ContactStore.replace(.counterparty, ownerID: counterparty.requireID(), partnerID: counterparty.partnerID,
                                           with: contacts, on: tx)
        }
        return counterparty
    }

    func update(_ counterparty: Counterparty, with input: CounterpartyInput) async throws {
        var errors = input.validate(creating: false, current: counterparty)
        if input.partnerId != nil && input.partnerId != counterparty.partnerID {
            errors.add("partnerId", "cannot change; merge the partners instead")
        }
        let before = try await dto(counterparty)
        apply(input, to: counterparty, keepHistory: true)
        try await checkReferences(counterparty, input: input, into: &errors)
        try errors.check()
        let contacts = input.contacts ?? before.contacts
        try await writer(contacts: contacts).update(counterparty, before: before, expectedVersion: input.version) { tx in
            if input.contacts != nil {
                try await ContactStore.replace(.counterparty, ownerID: counterparty.requireID(), partnerID: counterparty.partnerID,
                                               with: contacts, on: tx)
            }
        }
    }

    func writer(contacts: [ContactDTO]) -> RecordWriter<Counterparty> {
        RecordWriter(db: db, author: author) { counterparty in
            var dto = try CounterpartyDTO(counterparty, contacts: [])
            dto.contacts = contacts
            return dto
        }
    }

    private func apply(_ input: CounterpartyInput, to c: Counterparty, keepHistory: Bool) {
        if let partner = input.partnerId, !keepHistory { c.partnerID = partner }
        if let code = input.code { c.code = code.cleaned }
        if let name = input.name.cleaned {
            if keepHistory && name != c.name { c.nameHistory = appending(c.name, to: c.nameHistory) }
            c.name = name
        }
        if let fullName = input.fullName { c.fullName = fullName.cleaned ?? c.name }
        if c.$fullName.value == nil || c.fullName.isEmpty { c.fullName = c.name }
        if let form = input.legalForm.flatMap(LegalForm.init(rawValue:)) { c.legalForm = form }
        if let inn = input.inn { c.inn = inn.cleaned }
        if let kpp = input.kpp {
            let new = kpp.cleaned
            if keepHistory, let old = c.kpp, old != new { c.kppHistory = appending(old, to: c.kppHistory) }
            c.kpp = new
        }
        if let ogrn = input.ogrn { c.ogrn = ogrn.cleaned }
        if let okpo = input.okpo { c.okpo = okpo.cleaned }
        if let country = input.country { c.country = country.cleaned }
        if let head = input.headCounterpartyId { c.headCounterpartyID = head }
        c.searchText = SearchText.normalize(c.name, c.fullName, c.inn, c.code)
    }

    /// The old value is kept with yesterday as its last day: the new one holds from today.
    private func appending(_ value: String, to history: String) -> String {
        var entries = (try? JSONDecoder().decode([HistoryEntry].self, from: Data(history.utf8))) ?? []
        entries.append(HistoryEntry(value: value, until: today.adding(days: -1).description))
        return String(decoding: (try? JSONEncoder().encode(entries)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private func checkReferences(_ c: Counterparty, input: CounterpartyInput, into errors: inout FieldErrors) async throws {
        if let head = input.headCounterpartyId {
            if head == c.id { errors.add("headCounterpartyId", "cannot be the counterparty itself") }
            else if try await Counterparty.query(on: db).filter(\.$id == head).filter(\.$deletionMark == false).count() == 0 {
                errors.add("headCounterpartyId", "names a counterparty that does not exist")
            }
        }
        if let code = c.code {
            let query = Counterparty.query(on: db).filter(\.$code == code)
            if let id = c.id { query.filter(\.$id != id) }
            if try await query.count() > 0 { errors.add("code", "is already used by another counterparty") }
        }
        // Two counterparties with the same INN+KPP are duplicates, unless one is a branch.
        if let inn = c.inn, errors.fields["inn"] == nil {
            let twins = Counterparty.query(on: db).filter(\.$inn == inn).filter(\.$kpp == c.kpp).filter(\.$deletionMark == false)
            if let id = c.id { twins.filter(\.$id != id) }
            for twin in try await twins.all() where twin.headCounterpartyID == nil && c.headCounterpartyID == nil {
                // The twin is named only when its partner is visible to the user.
                let visible = try await PartnerQueries.scoped(scope, on: db).filter(\.$id == twin.partnerID).count() > 0
                errors.add("inn", visible ? "a counterparty with this INN and KPP already exists: \(twin.name)"
                                          : "a counterparty with this INN and KPP already exists")
            }
        }
    }
}

extension CounterpartyService: RecordService {
    static let noun = "counterparty"

    init(_ context: ServiceContext) {
        self.init(db: context.db, author: context.author, scope: context.scope, today: context.today)
    }

    func visible(_ id: UUID) async throws -> Counterparty? {
        try await CounterpartyQueries.scoped(scope, on: db).filter(\.$id == id).first()
    }

    /// Every field of a counterparty may be cleared by sending it empty; `null` leaves it be.
    func update(_ counterparty: Counterparty, with input: CounterpartyInput, clearing: Set<String>) async throws {
        try await update(counterparty, with: input)
    }

    func setDeletionMark(_ counterparty: Counterparty, to mark: Bool, expectedVersion: Int?) async throws {
        let writer = writer(contacts: try await dto(counterparty).contacts)
        try await writer.setDeletionMark(counterparty, to: mark, expectedVersion: expectedVersion)
    }
}
