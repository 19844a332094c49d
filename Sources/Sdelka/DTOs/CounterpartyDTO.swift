import SdelkaCore
import Vapor

struct CounterpartyDTO: Content, Equatable {
    var id: UUID
    var partnerId: UUID
    var code: String?
    var name: String
    var fullName: String
    var legalForm: String
    var inn: String?
    var kpp: String?
    var ogrn: String?
    var okpo: String?
    var country: String?
    var headCounterpartyId: UUID?
    var contacts: [ContactDTO]
    var nameHistory: [HistoryEntry]
    var kppHistory: [HistoryEntry]
    var deletionMark: Bool
    var version: Int

    init(_ c: Counterparty, contacts: [ContactDetail]) throws {
        id = try c.requireID()
        partnerId = c.partnerID
        code = c.code
        name = c.name
        fullName = c.fullName
        legalForm = c.legalForm.rawValue
        inn = c.inn
        kpp = c.kpp
        ogrn = c.ogrn
        okpo = c.okpo
        country = c.country
        headCounterpartyId = c.headCounterpartyID
        self.contacts = ContactDTO.list(contacts)
        nameHistory = (try? JSONDecoder().decode([HistoryEntry].self, from: Data(c.nameHistory.utf8))) ?? []
        kppHistory = (try? JSONDecoder().decode([HistoryEntry].self, from: Data(c.kppHistory.utf8))) ?? []
        deletionMark = c.deletionMark
        version = c.version
    }
}

struct CounterpartyInput: Content {
    var partnerId: UUID?
    var code: String?
    var name: String?
    var fullName: String?
    var legalForm: String?
    var inn: String?
    var kpp: String?
    var ogrn: String?
    var okpo: String?
    var country: String?
    var headCounterpartyId: UUID?
    var contacts: [ContactDTO]?
    var version: Int?

    func validate(creating: Bool, current: Counterparty?) -> FieldErrors {
        var errors = FieldErrors()
        if creating {
            if partnerId == nil { errors.add("partnerId", "is required") }
            if name == nil { errors.add("name", "is required") }
        }
        if let name, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.add("name", "must not be empty") }
        if let legalForm, LegalForm(rawValue: legalForm) == nil {
            errors.add("legalForm", "must be one of: " + LegalForm.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let form = legalForm.flatMap(LegalForm.init(rawValue:)) ?? current?.legalForm ?? .legalEntity
        errors.merge(RegistrationNumbers.validate(inn: inn ?? current?.inn, kpp: kpp ?? current?.kpp,
                                                  ogrn: ogrn ?? current?.ogrn, legalForm: form))
        if let okpo, !okpo.isEmpty, !(okpo.count == 8 || okpo.count == 10) || !okpo.allSatisfy({ $0.isASCII && $0.isNumber }) {
            errors.add("okpo", "must be 8 digits (10 for a sole proprietor)")
        }
        for (index, contact) in (contacts ?? []).enumerated() {
            errors.merge(ContactValidation.check(contact), prefix: "contacts.\(index).")
        }
        return errors
    }
}
